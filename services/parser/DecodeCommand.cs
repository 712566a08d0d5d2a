using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Certstream.Contracts;
using Certstream.Contracts.Ct;
using Certstream.Contracts.Rfc6962;
using Certstream.Parser.Messages;

namespace Certstream.Parser;

/// <summary>
/// <c>decode</c> (README "Quick start"): reads a get-entries response (or, with --tiled, one data tile) and prints one
/// full-stream message per entry, one per line — a debugging aid like certstream-server-go's certpicker.
/// </summary>
public static class DecodeCommand
{
    public const string Usage =
        "usage: decode --url <log url> --name <description> [--operator <op>] [--start <index>] [--tiled [--issuers <dir>]] < input";

    /// <returns>0 when every entry was decoded, 1 when some were rejected or the input is malformed, 2 for bad arguments.</returns>
    public static int Run(string[] args, TextReader input, TextWriter output) => Run(args, input, output, Console.Error);

    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParseArguments(args, out var options, out var problem))
        {
            error.WriteLine($"decode: {problem}");
            error.WriteLine(Usage);
            return 2;
        }

        using var writer = new MessageWriter();
        var fetchedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var rejected = 0;
        string logKey;
        try
        {
            logKey = LogKey.FromUrl(options.Url);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"decode: --url: {e.Message}");
            error.WriteLine(Usage);
            return 2;
        }
        RawEntry Entry(LogType type, ulong index, ReadOnlyMemory<byte> leafInput, ReadOnlyMemory<byte> extraData) => new()
        {
            Log = logKey, Url = options.Url, Name = options.Name, Operator = options.Operator, Type = type, Index = index,
            LeafInput = leafInput, ExtraData = extraData, FetchedAt = fetchedAt,
        };
        void Emit(RawEntry entry)
        {
            var rejection = writer.Write(entry);
            if (rejection == EntryRejection.None)
            {
                output.Write(Encoding.UTF8.GetString(writer.Full.Span));
                return;
            }
            rejected++;
            error.WriteLine($"decode: entry {entry.Index} rejected: {rejection} {writer.LeafRejection}");
        }

        if (options.Tiled)
        {
            var tile = ReadBinary(input);
            var issuers = options.Issuers is null ? null : new DirectoryIssuerSource(options.Issuers);
            var reader = new TileReader(tile);
            while (reader.TryReadNext(out var leaf))
            {
                var index = options.Start + (ulong)(reader.Count - 1);
                // Issuers the directory lacks are left out of the chain: the certificate itself can still be shown.
                var chain = IssuerChain.Resolve(leaf, issuers, out var missing);
                if (missing > 0)
                    error.WriteLine($"decode: entry {index}: {missing} issuer(s) not found, chain shortened");
                (ReadOnlyMemory<byte> LeafInput, ReadOnlyMemory<byte> ExtraData) converted;
                try
                {
                    converted = TileLeafConversion.ToRfc6962(leaf, CollectionsMarshal.AsSpan(chain));
                }
                catch (ArgumentException e)
                {
                    rejected++;
                    error.WriteLine($"decode: entry {index}: {e.Message}");
                    continue;
                }
                Emit(Entry(LogType.Tiled, index, converted.LeafInput, converted.ExtraData));
            }
            if (reader.Rejection != CtRejection.None)
            {
                error.WriteLine($"decode: tile unreadable after {reader.Count} entries: {reader.Rejection}");
                return 1;
            }
            return rejected == 0 ? 0 : 1;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(input.ReadToEnd());
        }
        catch (JsonException e)
        {
            error.WriteLine($"decode: input is not a get-entries JSON response: {e.Message}");
            return 1;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                error.WriteLine("decode: input has no \"entries\" array");
                return 1;
            }
            var index = options.Start;
            foreach (var item in entries.EnumerateArray())
            {
                if (!TryBase64(item, "leaf_input", out var leafInput) || !TryBase64(item, "extra_data", out var extraData))
                {
                    rejected++;
                    error.WriteLine($"decode: entry {index}: leaf_input/extra_data missing or not base64");
                }
                else
                {
                    Emit(Entry(LogType.Rfc6962, index, leafInput, extraData));
                }
                index++;
            }
        }
        return rejected == 0 ? 0 : 1;
    }

    private sealed record Options(string Url, string Name, string Operator, ulong Start, bool Tiled, string? Issuers);

    private static bool TryParseArguments(string[] args, out Options options, out string problem)
    {
        options = null!;
        string? url = null, name = null, issuers = null;
        var logOperator = "";
        ulong start = 0;
        var tiled = false;
        var i = args.Length > 0 && args[0] == "decode" ? 1 : 0;
        for (; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--tiled")
            {
                tiled = true;
                continue;
            }
            if (arg is not ("--url" or "--name" or "--operator" or "--start" or "--issuers"))
            {
                problem = $"unknown argument '{arg}'";
                return false;
            }
            if (i + 1 >= args.Length)
            {
                problem = $"{arg} needs a value";
                return false;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--url": url = value; break;
                case "--name": name = value; break;
                case "--operator": logOperator = value; break;
                case "--issuers": issuers = value; break;
                case "--start":
                    if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out start))
                    {
                        problem = $"--start must be a non-negative integer, not '{value}'";
                        return false;
                    }
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(url))
        {
            problem = "--url is required";
            return false;
        }
        if (name is null)
        {
            problem = "--name is required";
            return false;
        }
        if (issuers is not null && !tiled)
        {
            problem = "--issuers applies only with --tiled";
            return false;
        }
        if (issuers is not null && !Directory.Exists(issuers))
        {
            problem = $"--issuers directory '{issuers}' does not exist";
            return false;
        }
        options = new Options(url, name, logOperator, start, tiled, issuers);
        problem = "";
        return true;
    }

    // A tile is binary: read the underlying stream when there is one; otherwise the reader must be ISO-8859-1.
    private static byte[] ReadBinary(TextReader input)
    {
        if (input is StreamReader { BaseStream: var stream })
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        return Encoding.Latin1.GetBytes(input.ReadToEnd());
    }

    private static bool TryBase64(JsonElement item, string property, out byte[] bytes)
    {
        bytes = [];
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
            return false;
        return value.TryGetBytesFromBase64(out bytes!);
    }
}
