namespace Certstream.Hosting.Metrics;

/// <summary>One time series of an instrument: its label text, encoded once when the tag set first appears.</summary>
internal abstract class Series(byte[] labels)
{
    /// <summary>UTF-8 <c>name="value",…</c> without braces, sorted by name; empty when untagged.</summary>
    public byte[] Labels { get; } = labels;
}
