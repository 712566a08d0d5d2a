namespace Certstream.Hosting.Metrics;

/// <summary>Renders a tag set as the encoded label text of its series.</summary>
internal static class LabelText
{
    public static byte[] Encode(TagSet tags, IReadOnlyList<KeyValuePair<string, object?>> constantTags)
    {
        if (tags.Count == 0 && constantTags.Count == 0) return [];
        // Sorted by label name so that the text is canonical: sets that differ only before sanitizing
        // ("a.b" / "a_b") render alike and the scrape merges them instead of printing a duplicate series.
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in constantTags) labels[LabelName(tag.Key ?? "")] = TagValue.Format(tag.Value);
        for (var i = 0; i < tags.Count; i++) labels[LabelName(tags.Keys[i])] = tags.Values[i];
        return ExpositionWriter.EncodeLabels([.. labels]);
    }

    /// <summary>
    /// A sanitized tag key; <c>le</c> and <c>quantile</c> belong to histograms and summaries, so a tag with
    /// that name becomes <c>tag_le</c> / <c>tag_quantile</c> rather than clash with the bucket label.
    /// </summary>
    public static string LabelName(string tagKey)
    {
        var name = MetricNames.LabelName(tagKey);
        return name is "le" or "quantile" ? "tag_" + name : name;
    }
}
