namespace Certstream.Contracts.Tests;

public sealed class NamesTests
{
    private const string Log = "ct_googleapis_com_logs_us1_argon2027h1";

    [Fact]
    public void Subjects_follow_the_public_contract()
    {
        Assert.Equal("ct.raw." + Log, Subjects.Raw(Log));
        Assert.Equal("certstream.full." + Log, Subjects.Full(Log));
        Assert.Equal("certstream.lite." + Log, Subjects.Lite(Log));
        Assert.Equal("certstream.domains." + Log, Subjects.Domains(Log));
        Assert.Equal("ct.rejected." + Log, Subjects.Rejected(Log));
        Assert.Equal("ct.raw.*", Subjects.AllRaw);
        Assert.Equal("certstream.full.*", Subjects.AllFull);
        Assert.Equal("certstream.lite.*", Subjects.AllLite);
        Assert.Equal("certstream.domains.*", Subjects.AllDomains);
        Assert.Equal("ct.rejected.*", Subjects.AllRejected);
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData(">")]
    [InlineData("")]
    [InlineData("ct.googleapis.com/logs/us1/argon2027h1")]
    public void Subjects_refuse_what_is_not_one_token(string log)
    {
        Assert.Throws<ArgumentException>(() => Subjects.Raw(log));
        Assert.Throws<ArgumentException>(() => Subjects.Full(log));
        Assert.Throws<ArgumentException>(() => Subjects.Lite(log));
        Assert.Throws<ArgumentException>(() => Subjects.Domains(log));
        Assert.Throws<ArgumentException>(() => Subjects.Rejected(log));
    }

    [Fact]
    public void Stream_consumer_and_buckets_have_the_contract_names()
    {
        Assert.Equal("CT_RAW", JetStreamNames.RawStream);
        Assert.Equal("parser", JetStreamNames.ParserConsumer);
        Assert.Equal("ct_checkpoints", JetStreamNames.CheckpointsBucket);
        Assert.Equal("ct_leases", JetStreamNames.LeasesBucket);
        Assert.Equal(TimeSpan.FromMinutes(10), JetStreamNames.RawDuplicateWindow);
    }

    [Fact]
    public void The_raw_stream_holds_every_raw_subject_and_its_window_never_exceeds_max_age()
    {
        Assert.Equal("ct.raw.>", JetStreamNames.RawStreamSubjects);
        Assert.Equal(TimeSpan.FromMinutes(10), JetStreamNames.RawDuplicateWindowFor(TimeSpan.FromHours(24)));
        Assert.Equal(TimeSpan.FromMinutes(10), JetStreamNames.RawDuplicateWindowFor(TimeSpan.Zero)); // max_age 0 = forever
        Assert.Equal(TimeSpan.FromMinutes(5), JetStreamNames.RawDuplicateWindowFor(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Message_id_is_log_colon_index()
    {
        Assert.Equal("Nats-Msg-Id", MessageHeaders.MessageId);
        Assert.Equal("Certstream-Error", MessageHeaders.Error);
        Assert.Equal(Log + ":380000003", MessageHeaders.MessageIdFor(Log, 380000003));
        Assert.Equal(Log + ":18446744073709551615", MessageHeaders.MessageIdFor(Log, ulong.MaxValue));
    }

    [Fact]
    public void Error_header_values_have_no_control_characters_and_a_bounded_length()
    {
        Assert.Equal("bad  tbs: x", MessageHeaders.ErrorValue("bad\r\ntbs: x\n"));
        Assert.Equal(MessageHeaders.MaxErrorLength, MessageHeaders.ErrorValue(new string('e', 10_000)).Length);
    }
}
