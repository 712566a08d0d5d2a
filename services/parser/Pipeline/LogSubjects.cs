using Certstream.Contracts;

namespace Certstream.Parser.Pipeline;

/// <summary>The four output subjects of one log (README "NATS subjects"), built once per log rather than per message.</summary>
internal sealed record LogSubjects(string Full, string Lite, string Domains, string Rejected)
{
    public static LogSubjects For(string log) => new(Subjects.Full(log), Subjects.Lite(log), Subjects.Domains(log), Subjects.Rejected(log));
}
