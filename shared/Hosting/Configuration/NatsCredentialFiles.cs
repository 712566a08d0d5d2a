using NATS.NKeys;

namespace Certstream.Hosting.Configuration;

/// <summary>
/// Reads and checks the credential files of <c>nats.creds_file</c> (a user JWT and its NKey seed, as <c>nsc</c> writes
/// them) and <c>nats.nkey_file</c> (an NKey user seed, <c>SU…</c>, as <c>nk -gen user</c> writes it), so a damaged file
/// stops start-up with a reason instead of failing every connect.
/// </summary>
public static class NatsCredentialFiles
{
    private const string JwtHeader = "-----BEGIN NATS USER JWT-----";
    private const string SeedHeader = "-----BEGIN USER NKEY SEED-----";

    /// <summary>What is wrong with a creds file, or null when it holds a JWT and a valid user seed.</summary>
    public static string? CheckCreds(string path)
    {
        string? jwt = null, seed = null;
        try
        {
            var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
            for (var i = 0; i < lines.Count - 1; i++)
            {
                if (lines[i].StartsWith(JwtHeader, StringComparison.Ordinal)) jwt = lines[i + 1];
                else if (lines[i].StartsWith(SeedHeader, StringComparison.Ordinal)) seed = lines[i + 1];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read \"{path}\": {e.Message}";
        }
        if (jwt is null || jwt.Split('.').Length != 3)
            return $"\"{path}\" holds no user JWT (a line after {JwtHeader})";
        if (seed is null || !seed.StartsWith("SU", StringComparison.Ordinal))
            return $"\"{path}\" holds no NKey seed (a line starting with SU after {SeedHeader})";
        return SeedError(seed) is { } error ? $"\"{path}\": {error}" : null;
    }

    /// <summary>What is wrong with an NKey seed file, or null when it holds one valid user seed.</summary>
    public static string? CheckNKeySeed(string path)
    {
        try
        {
            ReadNKeySeed(path);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>The user seed of an NKey file and its public key (<c>U…</c>), which NATS.Net sends with the signed nonce.</summary>
    /// <exception cref="FormatException">The file cannot be read or holds no valid user seed.</exception>
    public static (string Seed, string PublicKey) ReadNKeySeed(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read \"{path}\": {e.Message}", e);
        }
        var seed = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("SU", StringComparison.Ordinal))
            ?? throw new FormatException($"\"{path}\" holds no NKey user seed (a line starting with SU)");
        if (SeedError(seed) is { } error) throw new FormatException($"\"{path}\": {error}");
        using var pair = KeyPair.FromSeed(seed.AsSpan());
        return (seed, pair.GetPublicKey());
    }

    private static string? SeedError(string seed)
    {
        try
        {
            using var pair = KeyPair.FromSeed(seed.AsSpan());
            return null;
        }
        catch (Exception e) when (e is NKeysException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            return "the NKey seed is not valid (" + e.Message + ")";
        }
    }
}
