using System.Globalization;

namespace Certstream.Hosting.Configuration;

/// <summary><c>general.start_at</c>: where a log with no checkpoint starts — its head, or a fixed index.</summary>
public readonly record struct StartPosition
{
    private StartPosition(ulong? index) => Index = index;

    /// <summary>The log's current tree size (the default).</summary>
    public static StartPosition Head => default;

    public static StartPosition At(ulong index) => new(index);

    /// <summary>The fixed index, or null for <see cref="Head"/>.</summary>
    public ulong? Index { get; }

    public bool IsHead => Index is null;

    public override string ToString() => Index?.ToString(CultureInfo.InvariantCulture) ?? "head";
}
