using Certstream.Hosting.Configuration;
using Certstream.Hosting.Messaging;
using NATS.NKeys;

namespace Certstream.Hosting.Tests;

/// <summary><c>nats.creds_file</c> and <c>nats.nkey_file</c> are checked at start-up, like every key, and reach NATS.Net's options.</summary>
public sealed class NatsCredentialConfigTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("certstream-creds-");

    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void A_seed_only_nkey_file_is_accepted_and_sent_as_seed_and_public_key()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        var file = Write("user.nk", "# made by nk -gen user\n" + user.GetSeed() + "\n");
        var config = Parse($"nats:\n  nkey_file: \"{file}\"\n");
        Assert.Equal(file, config.Nats.NkeyFile);

        var opts = config.Nats.ToNatsOpts("test");
        Assert.Equal(user.GetSeed(), opts.AuthOpts.Seed);
        Assert.Equal(user.GetPublicKey(), opts.AuthOpts.NKey);
        Assert.Equal($"NKey from nats.nkey_file {file}", config.Nats.AuthMethod());
    }

    [Fact]
    public void A_creds_file_with_a_jwt_and_a_user_seed_is_accepted()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        var file = Write("user.creds", Creds("aaa.bbb.ccc", user.GetSeed()));
        var config = Parse($"nats:\n  creds_file: \"{file}\"\n");
        Assert.Equal(file, config.Nats.ToNatsOpts("test").AuthOpts.CredsFile);
        Assert.Equal($"user JWT from nats.creds_file {file}", config.Nats.AuthMethod());
    }

    [Fact]
    public void A_damaged_nkey_file_stops_start_up_naming_the_key_and_the_problem()
    {
        Assert.Contains("nats.nkey_file: ", ErrorOf($"nats:\n  nkey_file: \"{Write("empty.nk", "\n")}\"\n"), StringComparison.Ordinal);
        Assert.Contains("holds no NKey user seed", ErrorOf($"nats:\n  nkey_file: \"{Write("empty2.nk", "nothing here\n")}\"\n"), StringComparison.Ordinal);
        Assert.Contains("is not valid", ErrorOf($"nats:\n  nkey_file: \"{Write("bad.nk", "SUAXXXX\n")}\"\n"), StringComparison.Ordinal);
        Assert.Contains("no such file", ErrorOf("nats:\n  nkey_file: \"/nonexistent/user.nk\"\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_creds_file_stops_start_up_naming_the_key_and_the_problem()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        Assert.Contains("nats.creds_file: ", ErrorOf($"nats:\n  creds_file: \"{Write("nojwt.creds", Creds("not-a-jwt", user.GetSeed()))}\"\n"), StringComparison.Ordinal);
        Assert.Contains("holds no user JWT", ErrorOf($"nats:\n  creds_file: \"{Write("nojwt2.creds", Creds("not-a-jwt", user.GetSeed()))}\"\n"), StringComparison.Ordinal);
        Assert.Contains("holds no NKey seed", ErrorOf($"nats:\n  creds_file: \"{Write("noseed.creds", "-----BEGIN NATS USER JWT-----\na.b.c\n")}\"\n"),
            StringComparison.Ordinal);
        Assert.Contains("is not valid", ErrorOf($"nats:\n  creds_file: \"{Write("badseed.creds", Creds("a.b.c", "SUBROKEN"))}\"\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  token: t\n", "token")]
    [InlineData("  user: u\n", "user")]
    public void Two_ways_of_authenticating_stop_start_up(string other, string otherKey)
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        var file = Write("user.nk", user.GetSeed());
        var error = ErrorOf($"nats:\n{other}  nkey_file: \"{file}\"\n");
        Assert.Contains($"use one way to authenticate, not {otherKey} and nkey_file", error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static CertstreamConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "test.yaml", NoEnvironment);

    private static string ErrorOf(string yaml) => Assert.Throws<ConfigException>(() => Parse(yaml)).Message;

    private static string Creds(string jwt, string seed) =>
        $"-----BEGIN NATS USER JWT-----\n{jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
