using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Certstream.Edge;

/// <summary>
/// A client's server-side filter (README "Filters"), from the query string of its stream request: <c>domain</c>,
/// <c>regex</c>, <c>type</c>, <c>log</c> and <c>unique</c>, all of which must match; within <c>domain</c>, any one name.
/// Matched against each message's <see cref="MessageFacts"/>, never its JSON.
/// </summary>
internal sealed class ClientFilter
{
    /// <summary>Longest <c>regex</c> accepted.</summary>
    public const int MaxRegexLength = 256;

    /// <summary>Most names one <c>domain</c> parameter may list.</summary>
    public const int MaxDomains = 100;

    /// <summary>Longest <c>log</c> substring accepted.</summary>
    public const int MaxLogLength = 256;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = true };
    private static readonly string[] Keys = ["domain", "regex", "type", "log", "unique"];

    private readonly DomainRule[] _domains;
    private readonly Regex? _regex;
    private readonly bool? _precert;
    private readonly string? _log;

    private ClientFilter(DomainRule[] domains, Regex? regex, bool? precert, string? log, bool unique)
    {
        _domains = domains;
        _regex = regex;
        _precert = precert;
        _log = log;
        Unique = unique;
    }

    /// <summary>Only the first copy of each certificate across logs (<c>unique=true</c>, README "Unique certificates").</summary>
    public bool Unique { get; }

    /// <summary>Whether anything but <see cref="Unique"/> narrows the stream.</summary>
    public bool Narrows => _domains.Length > 0 || _regex is not null || _precert is not null || _log is not null;

    /// <summary>
    /// The filter a query asks for: null when it asks for nothing (none of the keys, or only <c>unique=false</c>), else the filter, or an
    /// <paramref name="error"/> of one line saying which parameter is wrong and why.
    /// </summary>
    public static ClientFilter? Parse(IQueryCollection query, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        error = null;
        if (!Keys.Any(query.ContainsKey)) return null;

        var domains = Array.Empty<DomainRule>();
        if (Single(query, "domain", ref error) is { } domainText)
        {
            var names = domainText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0) error = "domain: give one or more names, comma-separated";
            else if (names.Length > MaxDomains) error = $"domain: at most {MaxDomains} names";
            else
            {
                domains = new DomainRule[names.Length];
                for (var i = 0; i < names.Length && error is null; i++)
                {
                    if (DomainRule.TryParse(names[i], out var rule, out var reason)) domains[i] = rule;
                    else error = $"domain: {reason}";
                }
            }
        }

        Regex? regex = null;
        if (error is null && Single(query, "regex", ref error) is { } pattern)
        {
            if (pattern.Length == 0) error = "regex: empty pattern";
            else if (pattern.Length > MaxRegexLength) error = $"regex: longer than {MaxRegexLength} characters";
            else
            {
                try
                {
                    // NonBacktracking: matching time is linear in the name's length whatever the pattern (no ReDoS).
                    regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException)
                {
                    error = $"regex: {OneLine(e.Message)}";
                }
            }
        }

        bool? precert = null;
        if (error is null && Single(query, "type", ref error) is { } type)
        {
            precert = type.ToLowerInvariant() switch
            {
                "x509" => false,
                "precert" => true,
                _ => null,
            };
            if (precert is null) error = $"type: expected x509 or precert, got \"{Shorten(type)}\"";
        }

        string? log = null;
        if (error is null && Single(query, "log", ref error) is { } logText)
        {
            if (logText.Length == 0) error = "log: empty";
            else if (logText.Length > MaxLogLength) error = $"log: longer than {MaxLogLength} characters";
            else log = logText;
        }

        var unique = false;
        if (error is null && Single(query, "unique", ref error) is { } uniqueText)
        {
            switch (uniqueText.ToLowerInvariant())
            {
                case "true" or "1" or "": unique = true; break;
                case "false" or "0": break;
                default: error = $"unique: expected true or false, got \"{Shorten(uniqueText)}\""; break;
            }
        }

        if (error is not null) return null;
        var filter = new ClientFilter(domains, regex, precert, log, unique);
        return filter.Narrows || filter.Unique ? filter : null;
    }

    /// <summary>Whether a message with these facts goes to the client.</summary>
    public bool Matches(MessageFacts facts)
    {
        if (Unique && !facts.IsUnique) return false;
        if (_precert is { } precert && facts.IsPrecert != precert) return false;
        if (_log is not null && !facts.Source.Contains(_log, StringComparison.OrdinalIgnoreCase)) return false;
        if (_domains.Length > 0 && !facts.Domains.Any(name => _domains.Any(rule => rule.Matches(name)))) return false;
        if (_regex is not null && !facts.Domains.Any(_regex.IsMatch)) return false;
        return true;
    }

    private static string? Single(IQueryCollection query, string key, ref string? error)
    {
        if (!query.TryGetValue(key, out var values)) return null;
        if (values.Count > 1)
        {
            error = $"{key}: given {values.Count} times; give it once (domain takes a comma-separated list)";
            return null;
        }
        return values[0] ?? "";
    }

    private static string OneLine(string text) => Shorten(text.ReplaceLineEndings(" "), 200);

    private static string Shorten(string text, int max = 40) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>One name of a <c>domain</c> filter: the name itself and everything under it, or with <c>*.</c>, only what is under it.</summary>
    private readonly record struct DomainRule(string Name, string Suffix, bool SubdomainsOnly)
    {
        public bool Matches(string domain) =>
            domain.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase)
            || (!SubdomainsOnly && domain.Equals(Name, StringComparison.OrdinalIgnoreCase));

        public static bool TryParse(string text, out DomainRule rule, out string reason)
        {
            rule = default;
            var subdomainsOnly = text.StartsWith("*.", StringComparison.Ordinal);
            var name = (subdomainsOnly ? text[2..] : text).TrimEnd('.');
            string ascii;
            try
            {
                // Certificates carry internationalized names in their A-label (xn--) form.
                ascii = Idn.GetAscii(name).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                reason = $"\"{Shorten(text)}\" is not a domain name";
                return false;
            }
            // Letters, digits, '-', '.', and '_' (seen in certificates though not in host names): anything else is a typo.
            if (ascii.Length is 0 or > 253 || !ascii.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                reason = $"\"{Shorten(text)}\" is not a domain name";
                return false;
            }
            rule = new DomainRule(ascii, "." + ascii, subdomainsOnly);
            reason = "";
            return true;
        }
    }
}
