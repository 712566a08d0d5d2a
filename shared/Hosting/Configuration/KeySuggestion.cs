namespace Certstream.Hosting.Configuration;

/// <summary>"Did you mean …?" for a misspelt key: the closest known name by edit distance, if close enough.</summary>
internal static class KeySuggestion
{
    public static string Hint(string unknown, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            // An abbreviation (desc for description) is far in edits but obvious.
            if (unknown.Length >= 3 && candidate.StartsWith(unknown, StringComparison.OrdinalIgnoreCase)) return $" (did you mean {candidate}?)";
            var distance = Distance(unknown, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Two edits cover a transposition (listen_prot); longer names tolerate a few more.
        var limit = Math.Max(2, unknown.Length / 4);
        return best is not null && bestDistance <= limit ? $" (did you mean {best}?)" : "";
    }

    // Levenshtein distance, case-insensitive (keys are lower-case; env names upper-case).
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
