namespace Meridian.Tests.Infrastructure;

/// <summary>The repository's root folder (the one holding the solution file), wherever the tests were built: for tests
/// that read or write the project's own files (docs/).</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Meridian.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException($"No Meridian.slnx above {AppContext.BaseDirectory}.");
    });

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
