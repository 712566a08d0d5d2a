using Certstream.Contracts;
using NATS.Client.Core;

namespace Certstream.Edge;

/// <summary>
/// What client filters look at, read once per message from the parser's filter headers (<see cref="FilterHeaders"/>),
/// never from the JSON: the names (<c>all_domains</c>), whether it is a precertificate, <c>source.url</c>, and whether
/// it is the first copy of its certificate.
/// </summary>
internal sealed class MessageFacts
{
    public static readonly MessageFacts None = new([], isPrecert: null, source: "");

    public MessageFacts(string[] domains, bool? isPrecert, string source, bool isUnique = false)
    {
        Domains = domains;
        IsPrecert = isPrecert;
        Source = source;
        IsUnique = isUnique;
    }

    /// <summary>Whether the parser marked the message as its certificate's first copy (<see cref="FilterHeaders.Unique"/>).</summary>
    public bool IsUnique { get; }

    public string[] Domains { get; }

    /// <summary>True for a precertificate, false for a certificate, null when the message did not say.</summary>
    public bool? IsPrecert { get; }

    public string Source { get; }

    /// <summary>The message's <c>data.seen</c> as the parser wrote it (<see cref="FilterHeaders.Seen"/>), or null: an SSE event's id.</summary>
    public static string? SeenOf(NatsHeaders? headers) =>
        headers is not null && headers.TryGetValue(FilterHeaders.Seen, out var seen) ? seen.ToString() : null;

    /// <summary>The facts of a message from its headers; <see cref="None"/> (nothing matches) without them.</summary>
    public static MessageFacts From(NatsHeaders? headers)
    {
        if (headers is null) return None;
        var domains = headers.TryGetValue(FilterHeaders.Domains, out var d) ? FilterHeaders.DecodeDomains(d.ToString()) : [];
        bool? isPrecert = headers.TryGetValue(FilterHeaders.Type, out var t)
            ? t.ToString() switch { FilterHeaders.Precert => true, FilterHeaders.X509 => false, _ => null }
            : null;
        var source = headers.TryGetValue(FilterHeaders.Source, out var s) ? FilterHeaders.DecodeSource(s.ToString()) : "";
        var unique = headers.TryGetValue(FilterHeaders.Unique, out var u) && u.ToString() == "1";
        return new MessageFacts(domains, isPrecert, source, unique);
    }
}
