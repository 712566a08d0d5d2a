using Certstream.Contracts;
using Certstream.Ingestor.Nats;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.Parser.Pipeline;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Nats;

/// <summary>
/// The ingestor and the parser may each create <c>CT_RAW</c> (whichever starts first); their configs must be the same, or
/// the ingestor's ensure would rewrite the parser's stream. <c>RawTopology</c> is the parser's own file, compiled in here.
/// </summary>
public sealed class RawStreamConfigTests
{
    [Theory]
    [InlineData(24 * 3600)] // the default raw_max_age
    [InlineData(5 * 60)] // shorter than the 10 min duplicate window
    public void The_ingestor_and_the_parser_build_the_same_CT_RAW_config(int maxAgeSeconds)
    {
        var maxAge = TimeSpan.FromSeconds(maxAgeSeconds);
        AssertSame(IngestorStreams.RawStream(maxAge), RawTopology.Stream(maxAge));
        Assert.Equal([JetStreamNames.RawStreamSubjects], IngestorStreams.RawStream(maxAge).Subjects);
    }

    [Theory]
    [InlineData(24 * 3600)]
    [InlineData(5 * 60)]
    public async Task Whichever_creates_CT_RAW_first_the_other_leaves_its_config_unchanged(int maxAgeSeconds)
    {
        var maxAge = TimeSpan.FromSeconds(maxAgeSeconds);
        await using var nats = await NatsServer.StartAsync();
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);

        // Parser first: the ingestor's ensure updates a stream whose config differs from its own.
        await RawTopology.EnsureAsync(js, maxAge, CancellationToken.None);
        var byParser = (await js.GetStreamAsync(JetStreamNames.RawStream)).Config;
        await IngestorStreams.EnsureAsync(js, maxAge, IngestorStreams.DefaultLeaseTtl, CancellationToken.None);
        AssertSame(byParser, (await js.GetStreamAsync(JetStreamNames.RawStream)).Config);

        // Ingestor first: the parser leaves an existing stream as it is, and would have created the same one.
        Assert.True(await js.DeleteStreamAsync(JetStreamNames.RawStream));
        await IngestorStreams.EnsureAsync(js, maxAge, IngestorStreams.DefaultLeaseTtl, CancellationToken.None);
        var byIngestor = (await js.GetStreamAsync(JetStreamNames.RawStream)).Config;
        await RawTopology.EnsureAsync(js, maxAge, CancellationToken.None);
        AssertSame(byIngestor, (await js.GetStreamAsync(JetStreamNames.RawStream)).Config);
        AssertSame(byParser, byIngestor);
    }

    // A record's equality compares the subject lists by reference; compare them by content, the rest field by field.
    private static void AssertSame(StreamConfig expected, StreamConfig actual)
    {
        Assert.Equal(expected.Subjects, actual.Subjects);
        Assert.Equal(expected with { Subjects = null }, actual with { Subjects = null });
    }
}
