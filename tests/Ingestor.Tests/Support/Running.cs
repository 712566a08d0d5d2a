namespace Certstream.Ingestor.Tests.Support;

/// <summary>Runs a follower (or supervisor) in the background until disposed; disposal cancels and awaits it.</summary>
internal sealed class Running : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CancellationTokenSource _stop = new();

    public Running(Func<CancellationToken, Task> run) => Task = Task.Run(() => run(_stop.Token));

    public Task Task { get; }

    /// <summary>Waits for <paramref name="condition"/>, failing fast if the run itself ended.</summary>
    public async Task UntilAsync(Task condition)
    {
        var first = await System.Threading.Tasks.Task.WhenAny(condition, Task).WaitAsync(Patience);
        if (first == Task)
        {
            await Task;
            throw new InvalidOperationException("the run ended before the condition held");
        }
        await condition;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Task.IsCompleted) await StopAsync();
        _stop.Dispose();
    }
}
