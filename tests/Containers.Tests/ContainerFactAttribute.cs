namespace Certstream.Containers.Tests;

/// <summary>
/// A test that needs a container engine and the project's images. scripts/test.sh makes both available where it can
/// (scripts/container-engine.sh, scripts/container-images.sh) and sets <c>CERTSTREAM_IMAGE</c> and <c>NATS_IMAGE</c>; where
/// it cannot, it sets <c>CERTSTREAM_CONTAINER_TESTS_SKIP</c> to the reason, and these tests are skipped with it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute()
    {
        if (ContainerImages.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>The images scripts/container-images.sh built, from the environment scripts/test.sh sets.</summary>
internal static class ContainerImages
{
    public static string Certstream => Environment.GetEnvironmentVariable("CERTSTREAM_IMAGE") ?? "certstream-nats:latest";

    public static string Nats => Environment.GetEnvironmentVariable("NATS_IMAGE") ?? "nats:2.9-alpine";

    /// <summary>Why the container tests cannot run here, or null.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable("CERTSTREAM_CONTAINER_TESTS_SKIP") is { Length: > 0 } reason ? "container tests skipped: " + reason
        : Environment.GetEnvironmentVariable("CERTSTREAM_IMAGE") is null || Environment.GetEnvironmentVariable("DOCKER_HOST") is null
            ? "container tests skipped: no engine or images prepared (run them with `make test`, which prepares both)"
            : null;
}
