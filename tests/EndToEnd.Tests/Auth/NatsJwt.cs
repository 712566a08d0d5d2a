using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NATS.NKeys;

namespace Certstream.EndToEnd.Tests.Auth;

/// <summary>
/// Decentralized-auth test credentials made here, as <c>nsc</c> would make them: an operator, an account with JetStream,
/// a user of it, their JWTs (v2 claims, ed25519-nkey signatures) and the user's creds file.
/// </summary>
internal sealed class NatsJwt : IDisposable
{
    private readonly KeyPair _operator = KeyPair.CreatePair(PrefixByte.Operator);
    private readonly KeyPair _account = KeyPair.CreatePair(PrefixByte.Account);
    private readonly KeyPair _system = KeyPair.CreatePair(PrefixByte.Account);

    public NatsJwt()
    {
        // JetStream in operator mode needs a system account (nats-server: "system account not setup").
        SystemPublicKey = _system.GetPublicKey();
        OperatorJwt = Sign(_operator, _operator.GetPublicKey(), "test-operator",
            new JsonObject { ["system_account"] = SystemPublicKey, ["type"] = "operator", ["version"] = 2 });
        SystemJwt = Sign(_operator, SystemPublicKey, "SYS", new JsonObject
        {
            ["limits"] = new JsonObject { ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1, ["wildcards"] = true, ["conn"] = -1, ["leaf"] = -1 },
            ["type"] = "account",
            ["version"] = 2,
        });
        AccountPublicKey = _account.GetPublicKey();
        AccountJwt = Sign(_operator, AccountPublicKey, "certstream", new JsonObject
        {
            ["limits"] = new JsonObject
            {
                ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1, ["wildcards"] = true, ["conn"] = -1, ["leaf"] = -1,
                // JetStream on, without limits.
                ["mem_storage"] = -1, ["disk_storage"] = -1, ["streams"] = -1, ["consumer"] = -1,
            },
            ["default_permissions"] = new JsonObject { ["pub"] = new JsonObject(), ["sub"] = new JsonObject() },
            ["type"] = "account",
            ["version"] = 2,
        });
    }

    public string OperatorJwt { get; }

    public string SystemPublicKey { get; }

    public string SystemJwt { get; }

    public string AccountPublicKey { get; }

    public string AccountJwt { get; }

    /// <summary>nats-server configuration for operator mode with the account preloaded in a memory resolver.</summary>
    public string ServerConfig() =>
        $"operator: \"{OperatorJwt}\"\nsystem_account: {SystemPublicKey}\nresolver: MEMORY\n"
        + $"resolver_preload: {{\n  {SystemPublicKey}: \"{SystemJwt}\"\n  {AccountPublicKey}: \"{AccountJwt}\"\n}}\n";

    /// <summary>A new user as a creds file: signed by the account, or by a stranger account the server does not know (to be refused).</summary>
    public string UserCreds(bool signedByTheAccount = true)
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var stranger = KeyPair.CreatePair(PrefixByte.Account);
        var jwt = Sign(signedByTheAccount ? _account : stranger, user.GetPublicKey(), "certstream-service", new JsonObject
        {
            ["pub"] = new JsonObject(), ["sub"] = new JsonObject(), ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["type"] = "user", ["version"] = 2,
        });
        return $"-----BEGIN NATS USER JWT-----\n{jwt}\n------END NATS USER JWT------\n\n"
            + "************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\n\n"
            + $"-----BEGIN USER NKEY SEED-----\n{user.GetSeed()}\n------END USER NKEY SEED------\n";
    }

    public void Dispose()
    {
        _operator.Dispose();
        _account.Dispose();
        _system.Dispose();
    }

    private static string Sign(KeyPair issuer, string subject, string name, JsonObject nats)
    {
        var claims = new JsonObject
        {
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["iss"] = issuer.GetPublicKey(),
            ["name"] = name,
            ["sub"] = subject,
            ["nats"] = nats,
        };
        var signed = Base64Url("""{"typ":"JWT","alg":"ed25519-nkey"}"""u8) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(signed), signature);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
