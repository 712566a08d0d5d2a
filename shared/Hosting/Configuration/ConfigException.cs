namespace Certstream.Hosting.Configuration;

/// <summary>
/// The configuration cannot be used. <see cref="Exception.Message"/> is the single line shown to the
/// operator: where (<c>file:line</c> or <c>env NAME</c>), which key, and what is wrong.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException()
    {
    }

    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
