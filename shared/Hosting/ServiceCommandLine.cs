namespace Certstream.Hosting;

/// <summary>
/// The command line shared by the services (README "Quick start"): <c>[-c|--config FILE] [validate | &lt;command&gt; args…]</c>.
/// Options go before the command; everything after a service's own command is passed to it untouched,
/// so that command parses its own flags (e.g. the parser's <c>decode --url …</c>).
/// </summary>
public sealed class ServiceCommandLine
{
    public const string ValidateCommand = "validate";

    private ServiceCommandLine(string configPath, bool configPathGiven, string? command, IReadOnlyList<string> commandArguments,
        bool help, bool version, string? error)
    {
        ConfigPath = configPath;
        ConfigPathGiven = configPathGiven;
        Command = command;
        CommandArguments = commandArguments;
        HelpRequested = help;
        VersionRequested = version;
        Error = error;
    }

    /// <summary>The file named by <c>-c</c>, else <see cref="Configuration.ConfigLoader.DefaultPath"/>.</summary>
    public string ConfigPath { get; }

    /// <summary>True when <c>-c/--config</c> was given: the file must then exist.</summary>
    public bool ConfigPathGiven { get; }

    /// <summary>Null to run the service; <c>validate</c>; or a service-specific command name.</summary>
    public string? Command { get; }

    /// <summary>The arguments after a service-specific command, verbatim.</summary>
    public IReadOnlyList<string> CommandArguments { get; }

    public bool HelpRequested { get; }

    public bool VersionRequested { get; }

    /// <summary>A usage error (unknown option, missing file name), or null.</summary>
    public string? Error { get; }

    public static ServiceCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? configPath = null;
        string? command = null;
        bool help = false, version = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-c" or "--config":
                    if (i + 1 >= args.Count || args[i + 1].Length == 0)
                        return Failed($"option {arg} needs a file name");
                    configPath = args[++i];
                    break;
                case var _ when arg.StartsWith("--config=", StringComparison.Ordinal):
                    configPath = arg["--config=".Length..];
                    if (configPath.Length == 0) return Failed("option --config needs a file name");
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                case "-v" or "--version":
                    version = true;
                    break;
                case var _ when arg.StartsWith('-') && arg.Length > 1:
                    return Failed($"unknown option {arg}");
                case var _ when command is null && arg == ValidateCommand:
                    // validate accepts -c after it too, as certstream-server-go's does.
                    command = arg;
                    break;
                case var _ when command is null:
                    return new ServiceCommandLine(configPath ?? Configuration.ConfigLoader.DefaultPath, configPath is not null,
                        arg, [.. args.Skip(i + 1)], help, version, null);
                default:
                    return Failed($"unexpected argument \"{arg}\"");
            }
        }
        return new ServiceCommandLine(configPath ?? Configuration.ConfigLoader.DefaultPath, configPath is not null,
            command, [], help, version, null);
    }

    private static ServiceCommandLine Failed(string error) =>
        new(Configuration.ConfigLoader.DefaultPath, false, null, [], false, false, error);
}
