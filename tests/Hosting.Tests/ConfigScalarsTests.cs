using System.Net;
using Certstream.Hosting.Configuration;

namespace Certstream.Hosting.Tests;

public sealed class ConfigScalarsTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void Durations_are_go_style_number_unit_sequences(string text, long milliseconds)
    {
        var (value, problem) = ConfigScalars.Duration(text);
        Assert.Null(problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("30 parsecs")]
    [InlineData("30")]
    [InlineData("-5s")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("1h 30m")]
    [InlineData("")]
    [InlineData("1..5s")]
    public void Anything_else_is_not_a_duration(string text)
    {
        var (_, problem) = ConfigScalars.Duration(text);
        Assert.Equal($"\"{text}\" is not a duration (e.g. 500ms, 30s, 1m30s, 24h)", problem);
    }

    [Fact]
    public void A_duration_longer_than_a_timespan_is_refused()
    {
        var (_, problem) = ConfigScalars.Duration("999999999999999h");
        Assert.Equal("\"999999999999999h\" is too long", problem);
    }

    [Theory]
    [InlineData("8MiB", 8L * 1024 * 1024)]
    [InlineData("4MiB", 4L * 1024 * 1024)]
    [InlineData("512KiB", 512L * 1024)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("1048576", 1_048_576)]
    [InlineData("100B", 100)]
    [InlineData("8MB", 8_000_000)]
    [InlineData("2KB", 2_000)]
    public void Sizes_are_bytes_with_an_optional_unit(string text, long bytes)
    {
        var (value, problem) = ConfigScalars.Size(text);
        Assert.Null(problem);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("8 MiB")]
    [InlineData("8mib")]
    [InlineData("-1")]
    [InlineData("1.5MiB")]
    [InlineData("MiB")]
    [InlineData("lots")]
    public void Malformed_sizes_are_refused(string text)
    {
        var (_, problem) = ConfigScalars.Size(text);
        Assert.Equal($"\"{text}\" is not a size (e.g. 8MiB, 512KiB, 1048576)", problem);
    }

    [Fact]
    public void A_size_beyond_64_bits_is_refused()
    {
        var (_, problem) = ConfigScalars.Size("9000000000GiB");
        Assert.Equal("\"9000000000GiB\" is too large", problem);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    public void Booleans_are_true_or_false_in_any_case(string text, bool expected)
    {
        var (value, problem) = ConfigScalars.Bool(text);
        Assert.Null(problem);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("on")]
    public void Other_words_are_not_booleans(string text) =>
        Assert.Equal($"\"{text}\" is not a boolean (true or false)", ConfigScalars.Bool(text).Problem);

    [Theory]
    [InlineData("head", null)]
    [InlineData("0", 0UL)]
    [InlineData("123456789", 123456789UL)]
    public void Start_at_is_head_or_an_index(string text, ulong? index)
    {
        var (value, problem) = ConfigScalars.StartAt(text);
        Assert.Null(problem);
        Assert.Equal(index, value.Index);
        Assert.Equal(index is null, value.IsHead);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("tail")]
    [InlineData("HEAD")]
    [InlineData("1.5")]
    public void Start_at_refuses_negative_and_other_values(string text) =>
        Assert.Equal($"\"{text}\" is neither head nor a non-negative index", ConfigScalars.StartAt(text).Problem);

    [Theory]
    [InlineData("warn", VerifyMode.Warn)]
    [InlineData("enforce", VerifyMode.Enforce)]
    [InlineData("off", VerifyMode.Off)]
    public void Verify_is_one_of_three_words(string text, VerifyMode mode) => Assert.Equal((mode, null), ConfigScalars.Verify(text));

    [Fact]
    public void A_public_key_is_an_ec_or_rsa_subject_public_key_info()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        Assert.Null(ConfigScalars.PublicKey(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())).Problem);
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var spki = ec.ExportSubjectPublicKeyInfo();
        Assert.Null(ConfigScalars.PublicKey(Convert.ToBase64String(spki)).Problem);
        Assert.Null(ConfigScalars.PublicKey("").Problem);
        // Cut short, or with bytes after the DER, it is not a key.
        Assert.NotNull(ConfigScalars.PublicKey(Convert.ToBase64String(spki[..^1])).Problem);
        Assert.NotNull(ConfigScalars.PublicKey(Convert.ToBase64String([.. spki, 0])).Problem);
        Assert.NotNull(ConfigScalars.PublicKey("MFkw!").Problem);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8)]
    [InlineData("127.0.0.1/8", "127.0.0.0", 8)]
    [InlineData("192.168.1.7", "192.168.1.7", 32)]
    [InlineData("2001:db8::/32", "2001:db8::", 32)]
    [InlineData("::1", "::1", 128)]
    public void Ip_networks_accept_addresses_and_cidr_blocks(string text, string address, int prefix)
    {
        var (value, problem) = ConfigScalars.IpNetwork(text);
        Assert.Null(problem);
        Assert.Equal(new IPNetwork(IPAddress.Parse(address), prefix), value);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("example.com")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    public void Bad_ip_networks_are_refused(string text) =>
        Assert.NotNull(ConfigScalars.IpNetwork(text).Problem);

    [Theory]
    [InlineData("/", true)]
    [InlineData("/full-stream", true)]
    [InlineData("/a/b_c.d", true)]
    [InlineData("full-stream", false)]
    [InlineData("/full-stream/", false)]
    [InlineData("//x", false)]
    [InlineData("/a b", false)]
    [InlineData("", false)]
    public void Url_paths_are_absolute_plain_segments(string text, bool valid) =>
        Assert.Equal(valid, ConfigScalars.UrlPath(text).Problem is null);

    [Theory]
    [InlineData("nats://127.0.0.1:4222", true)]
    [InlineData("nats://a:4222, tls://b:4222", true)]
    [InlineData("http://a:4222", false)]
    [InlineData("127.0.0.1:4222", false)]
    [InlineData(" , ", false)]
    public void Nats_urls_are_one_or_more_nats_or_tls_urls(string text, bool valid) =>
        Assert.Equal(valid, ConfigScalars.NatsUrls(text).Problem is null);
}
