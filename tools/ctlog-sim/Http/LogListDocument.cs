using System.Globalization;
using System.Text.Json;
using Certstream.CtLogSim.Logs;

namespace Certstream.CtLogSim.Http;

/// <summary>Chrome's log list v3 (log_list.json), laid out and indented as gstatic.com serves it.</summary>
internal static class LogListDocument
{
    public static byte[] Build(CtLogSimulator sim, CtLogSimOptions options)
    {
        var epoch = options.CertificateEpoch.UtcDateTime.Date;
        return Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteString("log_list_timestamp", Rfc3339(epoch.AddDays(-1)));
            w.WriteStartArray("operators");
            foreach (var group in sim.Logs.GroupBy(l => l.Operator))
            {
                w.WriteStartObject();
                w.WriteString("name", group.Key);
                w.WriteStartArray("email");
                w.WriteStringValue("ct-" + group.Key.ToLowerInvariant().Replace(' ', '-') + "@sim.invalid");
                w.WriteEndArray();
                w.WriteStartArray("logs");
                foreach (var log in group.Where(l => l.Kind == LogKind.Rfc6962)) WriteLog(w, log, epoch, sim);
                if (options.BogusPlaceholders && group.All(l => l.Kind == LogKind.StaticCt)) WriteBogusPlaceholder(w, group.Key);
                w.WriteEndArray();
                w.WriteStartArray("tiled_logs");
                foreach (var log in group.Where(l => l.Kind == LogKind.StaticCt)) WriteLog(w, log, epoch, sim);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, indented: true);
    }

    private static void WriteLog(Utf8JsonWriter w, SimLogInfo log, DateTime epoch, CtLogSimulator sim)
    {
        w.WriteStartObject();
        w.WriteString("description", $"Sim '{log.Name}' log");
        w.WriteString("log_id", log.LogId);
        w.WriteString("key", log.Key);
        if (log.Kind == LogKind.Rfc6962)
        {
            w.WriteString("url", log.Url.ToString());
            w.WriteNumber("mmd", 86400);
        }
        else
        {
            w.WriteString("submission_url", log.Url.ToString());
            w.WriteString("monitoring_url", log.Url.ToString());
            w.WriteNumber("mmd", 60);
        }
        w.WriteStartObject("state");
        w.WriteStartObject(log.State);
        w.WriteString("timestamp", Rfc3339(epoch.AddDays(-90)));
        if (log.State == "readonly")
        {
            var head = sim.Find(log.Name).CurrentHead();
            w.WriteStartObject("final_tree_head");
            w.WriteBase64String("sha256_root_hash", head.RootHash);
            w.WriteNumber("tree_size", head.TreeSize);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        // Every simulated certificate expires within this window (notBefore within 60 days of the epoch, ≤ 397 days).
        w.WriteStartObject("temporal_interval");
        w.WriteString("start_inclusive", Rfc3339(epoch));
        w.WriteString("end_exclusive", Rfc3339(epoch.AddYears(2)));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // What Geomys and IPng publish for their tiled-only operators, so that clients which insist on an RFC 6962 log don't break.
    private static void WriteBogusPlaceholder(Utf8JsonWriter w, string operatorName)
    {
        var key = PlaceholderKey(operatorName);
        w.WriteStartObject();
        w.WriteString("description", "Bogus placeholder log to unbreak misbehaving CT libraries");
        w.WriteString("log_id", Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(key)));
        w.WriteString("key", Convert.ToBase64String(key));
        w.WriteString("url", "https://ct.example.com/bogus/");
        w.WriteNumber("mmd", 86400);
        w.WriteStartObject("state");
        w.WriteStartObject("retired");
        w.WriteString("timestamp", "2020-01-01T00:00:00Z");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("temporal_interval");
        w.WriteString("start_inclusive", "2020-01-01T00:00:00Z");
        w.WriteString("end_exclusive", "2020-01-02T00:00:00Z");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static byte[] PlaceholderKey(string operatorName)
    {
        // Seeded by the name (string.GetHashCode is randomized per process), so the list is stable across runs.
        var nameHash = BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(operatorName)));
        var rng = new Issuance.SeededRandom(Issuance.SeededRandom.Mix(0xb065UL, nameHash));
        using var key = System.Security.Cryptography.ECDsa.Create(Issuance.DeterministicKeys.EcPrivateKey(rng, System.Security.Cryptography.ECCurve.NamedCurves.nistP256, 32));
        return key.ExportSubjectPublicKeyInfo();
    }

    private static string Rfc3339(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
