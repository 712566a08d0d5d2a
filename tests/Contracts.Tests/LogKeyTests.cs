using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.Contracts.Tests;

public sealed class LogKeyTests
{
    [Theory]
    [InlineData("https://ct.googleapis.com/logs/us1/argon2026h1/", "ct_googleapis_com_logs_us1_argon2026h1")]
    [InlineData("https://ct.googleapis.com/logs/us1/argon2026h1", "ct_googleapis_com_logs_us1_argon2026h1")]
    [InlineData("ct.googleapis.com/logs/us1/argon2026h1/", "ct_googleapis_com_logs_us1_argon2026h1")]
    [InlineData("http://CT.Example.COM/Log-2026//", "ct_example_com_log-2026")]
    [InlineData("  https://oak.ct.letsencrypt.org/2026h1/ ", "oak_ct_letsencrypt_org_2026h1")]
    [InlineData("https://ct.example.com:8443/a b/~x", "ct_example_com_8443_a_b__x")]
    [InlineData("https://bücher.example/ct/", "b_cher_example_ct")]
    public void Keys_drop_scheme_and_trailing_slash_then_lower_and_replace(string url, string key)
    {
        Assert.Equal(key, LogKey.FromUrl(url));
        Assert.True(LogKey.IsValid(key));
    }

    [Fact]
    public void Normalized_url_keeps_case_and_path_as_the_spec_shows()
    {
        Assert.Equal("ct.googleapis.com/logs/us1/argon2026h1", LogKey.NormalizeUrl("https://ct.googleapis.com/logs/us1/argon2026h1/"));
        Assert.Equal("Example.com/Log", LogKey.NormalizeUrl("HTTPS://Example.com/Log/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://")]
    [InlineData("https:///")]
    [InlineData("   ")]
    public void A_url_with_nothing_left_has_no_key(string url)
    {
        Assert.Throws<ArgumentException>(() => LogKey.FromUrl(url));
    }

    [Theory]
    [InlineData("ct_googleapis_com_logs_us1_argon2026h1", true)]
    [InlineData("a-b_0", true)]
    [InlineData("", false)]
    [InlineData("a.b", false)]
    [InlineData("a*", false)]
    [InlineData("a>", false)]
    [InlineData("a b", false)]
    [InlineData("A", false)]
    [InlineData("é", false)]
    public void Valid_keys_are_nonempty_strings_of_lowercase_digits_underscore_and_dash(string key, bool valid)
    {
        Assert.Equal(valid, LogKey.IsValid(key));
    }

    [Fact]
    public void Real_log_list_urls_give_distinct_valid_subject_tokens()
    {
        var urls = new List<string>();
        foreach (var path in Directory.GetFiles(RepoPaths.Fixture("loglist"), "*.json"))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var logOperator in json.RootElement.GetProperty("operators").EnumerateArray())
            {
                foreach (var list in new[] { "logs", "tiled_logs" })
                {
                    if (!logOperator.TryGetProperty(list, out var logs))
                        continue;
                    foreach (var log in logs.EnumerateArray())
                    {
                        foreach (var field in new[] { "url", "submission_url", "monitoring_url" })
                        {
                            if (log.TryGetProperty(field, out var url))
                                urls.Add(url.GetString()!);
                        }
                    }
                }
            }
        }
        urls = urls.Distinct(StringComparer.Ordinal).ToList();
        Assert.True(urls.Count >= 8, $"only {urls.Count} URLs in the log list fixtures");

        var keys = urls.Select(LogKey.FromUrl).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        foreach (var key in keys)
        {
            Assert.True(LogKey.IsValid(key), key);
            // One NATS token: no separator or wildcard, no white space.
            Assert.DoesNotContain('.', key);
            Assert.DoesNotContain('*', key);
            Assert.DoesNotContain('>', key);
            Assert.Equal("ct.raw." + key, Subjects.Raw(key));
        }
        Assert.Contains("ct_googleapis_com_logs_us1_argon2027h1", keys);
        Assert.Contains("storage_googleapis_com_parcelyard2027h1_prod_certificate_transparency_goog", keys);
    }
}
