using System.Diagnostics;
using System.Globalization;

namespace Certstream.TestSupport;

/// <summary>POSIX signals to test processes, through kill(1).</summary>
public static class Signals
{
    /// <summary>Sends <paramref name="signal"/> (a name for kill(1): TERM, KILL, STOP, CONT, …) to <paramref name="pid"/>; kill's exit code.</summary>
    public static int Send(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
