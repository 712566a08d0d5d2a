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
                foreach (var log in group.Where(l => l.Kind == LogKind.Rfc6962)) WriteLog(w, log, epoch);
                w.WriteEndArray();
                w.WriteStartArray("tiled_logs");
                foreach (var log in group.Where(l => l.Kind == LogKind.StaticCt)) WriteLog(w, log, epoch);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, indented: true);
    }

    private static void WriteLog(Utf8JsonWriter w, SimLogInfo log, DateTime epoch)
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
        w.WriteStartObject("usable");
        w.WriteString("timestamp", Rfc3339(epoch.AddDays(-90)));
        w.WriteEndObject();
        w.WriteEndObject();
        // Every simulated certificate expires within this window (notBefore within 60 days of the epoch, ≤ 397 days).
        w.WriteStartObject("temporal_interval");
        w.WriteString("start_inclusive", Rfc3339(epoch));
        w.WriteString("end_exclusive", Rfc3339(epoch.AddYears(2)));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Rfc3339(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
