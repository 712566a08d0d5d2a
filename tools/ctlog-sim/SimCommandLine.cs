using System.Globalization;

namespace Certstream.CtLogSim;

/// <summary>The CLI's flags, mapped onto <see cref="CtLogSimOptions"/>.</summary>
internal sealed record SimCommandLine(CtLogSimOptions Options, bool Help, int MeasureGeneration)
{
    public const string Usage = """
        usage: ctlog-sim [options]
          --host 127.0.0.1          address to bind
          --port 8090               port (0 = any free port)
          --public-url URL          base URL the log list advertises (default: the listening address)
          --rfc6962-logs 2          number of RFC 6962 logs (rfc6962-0, ...)
          --tiled-logs 2            number of static-ct-api logs (static-0, ...)
          --operators 2             log operators / CAs
          --batch-caps 32,256,1024  get-entries caps, assigned round-robin
          --initial-size 0          entries per log at start
          --rate 0                  entries per second per log (0 = static)
          --burst-size 0            extra entries every --burst-interval seconds
          --burst-interval 10
          --seed 1
          --precert-ratio 0.6
          --cross-log-ratio 0       share of entries that copy a certificate another log holds (as CAs log to 2-4 logs)
          --fault-rate 0            total fault probability per request, spread over all kinds
          --slow-delay-ms 1500      delay of a "slow" fault
          --log-state NAME=STATE    log-list state of a log (usable, qualified, readonly, retired, pending, rejected); repeatable
          --bad-signature NAME      the log serves heads whose signature does not verify; repeatable
                                    (at run time: POST /_sim/misbehave/NAME?bad_signature=true|false, ?fork=true)
          --no-bogus-placeholder    no retired placeholder RFC 6962 log for tiled-only operators
          --no-gzip                 serve data tiles uncompressed
          --verbose                 ASP.NET Core console logging
          --measure-generation N    issue N entries across all cores, print a BENCH line, exit
        """;

    public static bool TryParse(IReadOnlyList<string> args, out SimCommandLine command, out string error)
    {
        var o = new CtLogSimOptions { Port = 8090 };
        var help = false;
        var measure = 0;
        double faultRate = 0;
        var slow = TimeSpan.FromMilliseconds(1500);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var badSignatures = new HashSet<string>(StringComparer.Ordinal);
        command = new SimCommandLine(o, false, 0);
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{flag} needs a value");
            try
            {
                switch (flag)
                {
                    case "-h" or "--help": help = true; break;
                    case "--host": o = o with { Host = Value() }; break;
                    case "--port": o = o with { Port = Int(Value()) }; break;
                    case "--public-url": o = o with { PublicUrl = new Uri(Value(), UriKind.Absolute) }; break;
                    case "--rfc6962-logs": o = o with { Rfc6962Logs = Int(Value()) }; break;
                    case "--tiled-logs": o = o with { TiledLogs = Int(Value()) }; break;
                    case "--operators": o = o with { Operators = Int(Value()) }; break;
                    case "--batch-caps": o = o with { BatchCaps = [.. Value().Split(',').Select(Int)] }; break;
                    case "--initial-size": o = o with { InitialSize = Int(Value()) }; break;
                    case "--rate": o = o with { EntriesPerSecond = Double(Value()) }; break;
                    case "--burst-size": o = o with { BurstSize = Int(Value()) }; break;
                    case "--burst-interval": o = o with { BurstInterval = TimeSpan.FromSeconds(Double(Value())) }; break;
                    case "--seed": o = o with { Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                    case "--precert-ratio": o = o with { PrecertRatio = Double(Value()) }; break;
                    case "--cross-log-ratio": o = o with { CrossLogRatio = Double(Value()) }; break;
                    case "--fault-rate": faultRate = Double(Value()); break;
                    case "--slow-delay-ms": slow = TimeSpan.FromMilliseconds(Double(Value())); break;
                    case "--no-gzip": o = o with { GzipDataTiles = false }; break;
                    case "--no-bogus-placeholder": o = o with { BogusPlaceholders = false }; break;
                    case "--log-state":
                        var pair = Value().Split('=', 2);
                        if (pair.Length != 2 || !CtLogSimOptions.KnownStates.Contains(pair[1])) throw new FormatException("expected NAME=STATE with a known state");
                        states[pair[0]] = pair[1];
                        break;
                    case "--bad-signature": badSignatures.Add(Value()); break;
                    case "--verbose": o = o with { ConsoleLogging = true }; break;
                    case "--measure-generation": measure = Int(Value()); break;
                    default: error = $"unknown option {flag}"; return false;
                }
            }
            catch (FormatException e)
            {
                error = $"{flag}: {e.Message}";
                return false;
            }
        }
        if (faultRate is < 0 or > 1)
        {
            error = "--fault-rate must be between 0 and 1";
            return false;
        }
        o = o with { Faults = FaultOptions.Uniform(faultRate) with { SlowDelay = slow }, LogStates = states, BadSignatureLogs = badSignatures };
        command = new SimCommandLine(o, help, measure);
        return true;
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
    private static double Double(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
