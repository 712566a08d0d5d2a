namespace Certstream.Hosting.Configuration;

/// <summary>
/// The <c>unique:</c> section (README "Unique certificates"): how long the parser remembers a certificate's leaf to mark
/// later copies from other logs as repeats. Zero turns the marking off (and <c>CT_UNIQUE</c> is not created).
/// </summary>
public sealed record UniqueOptions
{
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    public bool Enabled => Window > TimeSpan.Zero;
}
