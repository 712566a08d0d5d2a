namespace Certstream.Hosting;

/// <summary>
/// A command a service adds to the shared command line, e.g. the parser's <c>decode</c>. It runs
/// instead of the service, without loading the config file, and its return value is the exit code.
/// </summary>
/// <param name="Name">The word on the command line.</param>
/// <param name="Summary">One line for <c>--help</c>.</param>
/// <param name="Run">Receives the arguments after <paramref name="Name"/>, verbatim.</param>
public sealed record ServiceCommand(string Name, string Summary, Func<string[], int> Run);
