namespace Meridian.Tests.Infrastructure;

/// <summary>The repository's own source files (build output and installed packages left out), for tests that hold
/// the code to the shape its docs promise.</summary>
internal static class SourceFiles
{
    private static readonly string[] Skipped = ["node_modules", "obj", "bin", "dist"];

    public static IEnumerable<string> All(string folder, params string[] extensions) =>
        Directory.EnumerateFiles(RepositoryRoot.Path(folder), "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(Path.GetExtension(f))
                && !Path.GetRelativePath(RepositoryRoot.Path(), f).Split(Path.DirectorySeparatorChar).Any(Skipped.Contains));

    public static string Relative(string file) => Path.GetRelativePath(RepositoryRoot.Path(), file);
}
