namespace Certstream.Edge;

/// <summary>The three message variants the parser publishes and the edge serves (SPEC §2, §3).</summary>
internal enum StreamKind
{
    Full = 0,
    Lite = 1,
    Domains = 2,
}
