using System.Diagnostics.CodeAnalysis;
using Certstream.Hosting.Configuration;
using Certstream.Hosting.Logging;

namespace Certstream.Hosting;

/// <summary>
/// The first thing a service's Program.cs does: reads the command line, runs <c>validate</c>, a
/// service command, <c>--help</c> or <c>--version</c>, or loads the configuration to run with.
/// Every usage or configuration error is one line on stderr and exit code 2.
/// </summary>
public sealed class ServiceLaunch
{
    /// <summary>Exit code for a bad command line or configuration.</summary>
    public const int UsageExitCode = 2;

    private ServiceLaunch(string serviceName, int exitCode, CertstreamConfig? config, string configSource, LogSettings logging)
    {
        ServiceName = serviceName;
        ExitCode = exitCode;
        Config = config;
        ConfigSource = configSource;
        Logging = logging;
    }

    public string ServiceName { get; }

    /// <summary>True when the service should start; otherwise return <see cref="ExitCode"/> from Main.</summary>
    [MemberNotNullWhen(true, nameof(Config))]
    public bool ShouldRun => Config is not null;

    public int ExitCode { get; }

    /// <summary>The loaded configuration (file, then environment overrides); null unless <see cref="ShouldRun"/>.</summary>
    public CertstreamConfig? Config { get; }

    /// <summary>Where the configuration came from, for the start line: the file, or the defaults.</summary>
    public string ConfigSource { get; }

    internal LogSettings Logging { get; }

    /// <summary>
    /// A launch that runs with <paramref name="config"/> as given, logging at <paramref name="logLevel"/>: how a host
    /// that builds its configuration in code (the tests, the bench) composes a service exactly as Program.cs does.
    /// </summary>
    public static ServiceLaunch WithConfig(string serviceName, CertstreamConfig config, Microsoft.Extensions.Logging.LogLevel logLevel)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ServiceLaunch(serviceName, 0, config, "configuration given in code", LogSettings.Default with { Level = logLevel });
    }

    /// <summary>Reads the process's arguments and CERTSTREAM_* environment; writes to the console.</summary>
    public static ServiceLaunch Prepare(string serviceName, string[] args, params ServiceCommand[] commands) =>
        Prepare(serviceName, args, ConfigLoader.ProcessEnvironment(), Console.Out, Console.Error, commands);

    internal static ServiceLaunch Prepare(string serviceName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment,
        TextWriter output, TextWriter error, IReadOnlyList<ServiceCommand> commands)
    {
        var commandLine = ServiceCommandLine.Parse(args);
        if (commandLine.Error is not null)
            return Stop(serviceName, error, $"{serviceName}: {commandLine.Error} (see --help)", UsageExitCode);
        if (commandLine.HelpRequested)
            return Stop(serviceName, output, Usage(serviceName, commands), 0);
        if (commandLine.VersionRequested)
            return Stop(serviceName, output, $"certstream-nats {serviceName} {ProductVersion.Current}", 0);

        if (commandLine.Command is { } name && name != ServiceCommandLine.ValidateCommand)
        {
            var command = commands.FirstOrDefault(c => c.Name == name);
            if (command is null)
                return Stop(serviceName, error, $"{serviceName}: unknown command \"{name}\" (see --help)", UsageExitCode);
            return Stop(serviceName, null, null, command.Run([.. commandLine.CommandArguments]));
        }

        var (logging, logError) = LogSettings.FromEnvironment(environment);
        if (logging is null) return Stop(serviceName, error, logError, UsageExitCode);

        // Without -c, a missing ./config.yaml means built-in defaults plus environment (container-friendly);
        // with -c, the file must exist.
        var useFile = commandLine.ConfigPathGiven || File.Exists(commandLine.ConfigPath);
        var source = useFile ? commandLine.ConfigPath : $"built-in defaults ({commandLine.ConfigPath} not found)";
        CertstreamConfig config;
        try
        {
            config = useFile ? ConfigLoader.Load(commandLine.ConfigPath, environment) : ConfigLoader.FromEnvironment(environment);
        }
        catch (ConfigException e)
        {
            return Stop(serviceName, error, e.Message, UsageExitCode);
        }

        if (commandLine.Command == ServiceCommandLine.ValidateCommand)
            return Stop(serviceName, output, $"OK: {source} is valid", 0);
        return new ServiceLaunch(serviceName, 0, config, source, logging);
    }

    private static ServiceLaunch Stop(string serviceName, TextWriter? writer, string? line, int exitCode)
    {
        if (writer is not null && line is not null)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        return new ServiceLaunch(serviceName, exitCode, null, "", LogSettings.Default);
    }

    private static string Usage(string serviceName, IReadOnlyList<ServiceCommand> commands)
    {
        var lines = new List<string>
        {
            $"usage: {serviceName} [-c|--config FILE] [command]",
            "",
            $"  -c, --config FILE   YAML configuration (default {ConfigLoader.DefaultPath}); CERTSTREAM_<SECTION>_<KEY> overrides a key",
            "  -h, --help          this text",
            "  -v, --version       print the version",
            "",
            "commands:",
            "  (none)              run the service",
            "  validate            check the configuration, print one line, exit 0 (valid) or 2",
        };
        lines.AddRange(commands.Select(c => $"  {c.Name,-19} {c.Summary}"));
        return string.Join(Environment.NewLine, lines);
    }
}
