namespace Certstream.Parser.Messages;

/// <summary>How the log is read (SPEC §3 RawEntry <c>type</c>); decides <c>cert_link</c> and <c>source.type</c>.</summary>
public enum LogType
{
    Rfc6962,
    Tiled,
}
