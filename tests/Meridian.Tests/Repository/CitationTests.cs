using System.Text.RegularExpressions;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Repository;

/// <summary>Code comments cite the project's docs by section anchor (<c>docs/protocol.md#3-frames</c>); a renamed or
/// renumbered section must not leave a citation pointing nowhere.</summary>
public sealed partial class CitationTests
{
    private static readonly string[] CodeFolders = ["src", "tests", "bench"];
    private static readonly string[] CodeExtensions = [".cs", ".ts", ".tsx", ".css"];

    [Fact]
    public void Every_cited_doc_section_exists()
    {
        var anchors = Directory.EnumerateFiles(RepositoryRoot.Path("docs"), "*.md")
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadLines(f).Where(l => l.StartsWith('#')).Select(Slug).ToHashSet(), StringComparer.Ordinal);

        var broken = CodeFiles()
            .SelectMany(file => Citation().Matches(File.ReadAllText(file)).Select(m => (File: file, Doc: m.Groups[1].Value, Anchor: m.Groups[2].Value)))
            .Where(c => !anchors.TryGetValue(c.Doc, out var known) || (c.Anchor.Length > 0 && !known.Contains(c.Anchor)))
            .Select(c => $"{SourceFiles.Relative(c.File)}: docs/{c.Doc}{(c.Anchor.Length > 0 ? "#" + c.Anchor : "")}")
            .ToList();

        broken.ShouldBeEmpty();
    }

    private static IEnumerable<string> CodeFiles() => CodeFolders.SelectMany(folder => SourceFiles.All(folder, CodeExtensions));

    /// <summary>GitHub's anchor of a heading: lower case, punctuation dropped, spaces as '-'.</summary>
    private static string Slug(string heading) =>
        Regex.Replace(heading.TrimStart('#').Trim().ToLowerInvariant(), @"[^\p{L}\p{Nd} _-]", "").Replace(' ', '-');

    [GeneratedRegex(@"docs/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?")]
    private static partial Regex Citation();
}
