using System.Text.RegularExpressions;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Repository;

/// <summary>The shape docs/architecture.md promises a reader of src/: short files, one type each, so a file's name
/// says what it holds.</summary>
public sealed partial class SourceFileTests
{
    private const int MaxLines = 300;

    [Fact]
    public void No_source_file_is_longer_than_300_lines_without_a_reason_on_its_first_line()
    {
        var tooLong = SourceFiles.All("src", ".cs", ".ts", ".tsx", ".css")
            .Select(f => (File: f, Lines: File.ReadAllLines(f)))
            .Where(f => f.Lines.Length > MaxLines && !Reason().IsMatch(f.Lines[0]))
            .Select(f => $"{SourceFiles.Relative(f.File)}: {f.Lines.Length} lines")
            .ToList();

        tooLong.ShouldBeEmpty();
    }

    [Fact]
    public void Each_CSharp_file_in_src_declares_one_top_level_type_named_like_the_file()
    {
        var mixed = SourceFiles.All("src", ".cs")
            .Where(f => !f.EndsWith("Program.cs", StringComparison.Ordinal))
            .Select(f => (File: f, Types: TopLevelType().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value).ToList()))
            .Where(f => f.Types.Count > 1 || (f.Types.Count == 1 && f.Types[0] != Path.GetFileNameWithoutExtension(f.File)))
            .Select(f => $"{SourceFiles.Relative(f.File)}: {string.Join(", ", f.Types)}")
            .ToList();

        mixed.ShouldBeEmpty();
    }

    [GeneratedRegex(@"^(//|/\*) Over 300 lines: \S")]
    private static partial Regex Reason();

    [GeneratedRegex(@"(?m)^(?:public |internal |file )?(?:(?:sealed|static|abstract|readonly|partial|ref) )*(?:record struct|record class|class|record|struct|interface|enum) (\w+)")]
    private static partial Regex TopLevelType();
}
