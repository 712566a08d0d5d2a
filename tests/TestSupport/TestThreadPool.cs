using System.Runtime.CompilerServices;

namespace Certstream.TestSupport;

/// <summary>
/// Test classes run in parallel on 2 cores, next to in-process services and blocking process helpers (kill, WaitForExit):
/// with the default minimum of one pool thread per core, a starved pool can delay a socket's continuation past a 2 s
/// connect timeout. Tests start with more threads ready; product code is unaffected.
/// </summary>
internal static class TestThreadPool
{
#pragma warning disable CA2255 // Deliberate: a test-wide setting, applied when any test first touches the shared test library.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RaiseMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }
}
