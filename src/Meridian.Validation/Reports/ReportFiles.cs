namespace Meridian.Validation.Reports;

/// <summary>Writes the three reports into a folder: <c>validation.md</c>, <c>validation.json</c>,
/// <c>validation.junit.xml</c>.</summary>
public static class ReportFiles
{
    public static IReadOnlyList<string> Write(ValidationReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new (string Name, string Text)[]
        {
            ("validation.md", MarkdownReport.Render(report)),
            ("validation.json", JsonReport.Render(report)),
            ("validation.junit.xml", JUnitReport.Render(report)),
        };
        return files.Select(f =>
        {
            var path = Path.Combine(directory, f.Name);
            File.WriteAllText(path, f.Text);
            return path;
        }).ToList();
    }
}
