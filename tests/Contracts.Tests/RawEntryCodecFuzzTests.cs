namespace Certstream.Contracts.Tests;

/// <summary>
/// Random, mutated, spliced and truncated input: <see cref="RawEntryCodec"/> only ever answers true or false with a
/// reason, never throws, always finishes, and its span and memory paths agree.
/// </summary>
public sealed class RawEntryCodecFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("CODEC_FUZZ_ITERATIONS"), out var n) ? n : 4000;

    // Bytes that make headers claim much or nest deep.
    private static readonly byte[] Interesting =
        [0x00, 0x7f, 0x80, 0x8f, 0x9f, 0xbf, 0xc0, 0xc1, 0xc4, 0xc6, 0xc7, 0xc9, 0xcb, 0xcf, 0xd3, 0xd8, 0xdb, 0xdd, 0xdf, 0xe0, 0xff];

    [Fact]
    public async Task Mutated_and_random_input_is_refused_with_a_reason_and_never_throws()
    {
        var seeds = SampleEntries.GetEntries()
            .Select((e, i) => SampleEntries.Encode(SampleEntries.Argon() with { LeafInput = e.LeafInput, ExtraData = e.ExtraData, Index = (ulong)i }))
            .ToList();
        var outcomes = await Task.Run(() => Run(seeds, new Random(20261122)))
            .WaitAsync(TimeSpan.FromSeconds(30 + (Iterations / 2000))); // a hang fails the test instead of stalling the run

        // The fuzzer must exercise both paths, or it proves nothing.
        Assert.True(outcomes.Accepted > 0, "no input was accepted");
        Assert.True(outcomes.Refused > Iterations / 2, $"only {outcomes.Refused} inputs were refused");
    }

    private static (int Accepted, int Refused) Run(List<byte[]> seeds, Random random)
    {
        int accepted = 0, refused = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var input = (i % 4) switch
            {
                0 => Mutate(seeds[random.Next(seeds.Count)], random),
                1 => Truncate(seeds[random.Next(seeds.Count)], random),
                2 => Splice(seeds, random),
                _ => RandomBytes(random),
            };
            var viaSpan = RawEntryCodec.TryRead(input.AsSpan(), out _, out var spanError);
            var viaMemory = RawEntryCodec.TryRead(input.AsMemory(), out _, out var memoryError);
            Assert.Equal(viaSpan, viaMemory);
            Assert.Equal(spanError, memoryError);
            Assert.Equal(viaSpan, spanError.Kind == RawEntryErrorKind.None);
            Assert.True(viaSpan || spanError.Message.Length > 0);
            if (viaSpan)
                accepted++;
            else
                refused++;
        }
        return (accepted, refused);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var changes = 1 + random.Next(4);
        for (var c = 0; c < changes && bytes.Length > 0; c++)
        {
            var at = random.Next(bytes.Length);
            bytes[at] = random.Next(3) switch
            {
                0 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                1 => Interesting[random.Next(Interesting.Length)],
                _ => (byte)random.Next(256),
            };
        }
        return bytes;
    }

    private static byte[] Truncate(byte[] seed, Random random) => seed[..random.Next(seed.Length + 1)];

    private static byte[] Splice(List<byte[]> seeds, Random random)
    {
        var a = seeds[random.Next(seeds.Count)];
        var b = seeds[random.Next(seeds.Count)];
        return [.. a[..random.Next(a.Length + 1)], .. b[random.Next(b.Length + 1)..]];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(64)];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256);
        return bytes;
    }
}
