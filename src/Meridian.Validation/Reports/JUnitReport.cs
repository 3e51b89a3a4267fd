using System.Globalization;
using System.Xml.Linq;
using Meridian.Validation.Checks;

namespace Meridian.Validation.Reports;

/// <summary>JUnit XML for CI systems: one testsuite per module, one testcase per check. A skip that fails the run
/// is written as a failure, so a CI reading only this file sees the same verdict.</summary>
public static class JUnitReport
{
    public static string Render(ValidationReport report)
    {
        var suites = new XElement("testsuites",
            new XAttribute("name", "meridian validate"),
            new XAttribute("tests", report.Results.Count),
            new XAttribute("failures", report.Results.Count(r => r.Fails(report.AllowSkip))),
            new XAttribute("time", Seconds(report.Duration)));
        if (report.CouldNotRun is { } reason)
        {
            suites.Add(new XElement("testsuite", new XAttribute("name", "meridian validate"), new XAttribute("tests", 1), new XAttribute("errors", 1),
                new XElement("testcase", new XAttribute("name", "run"), new XAttribute("classname", "meridian.validate"),
                    new XElement("error", new XAttribute("message", reason), reason))));
        }

        foreach (var module in report.Results.GroupBy(r => r.Check.Module))
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", module.Key),
                new XAttribute("tests", module.Count()),
                new XAttribute("failures", module.Count(r => r.Fails(report.AllowSkip))),
                new XAttribute("skipped", module.Count(r => r.Outcome == CheckOutcome.Skipped && report.AllowSkip)),
                new XAttribute("time", Seconds(TimeSpan.FromTicks(module.Sum(r => r.Duration.Ticks)))));
            foreach (var r in module)
            {
                var testcase = new XElement("testcase",
                    new XAttribute("name", r.Check.Name),
                    new XAttribute("classname", $"meridian.validate.{r.Check.Module}"),
                    new XAttribute("time", Seconds(r.Duration)));
                if (r.Diagnosis is { } d)
                {
                    var text = string.Join("\n", [d.Summary, .. d.Evidence]);
                    testcase.Add(r.Fails(report.AllowSkip)
                        ? new XElement("failure", new XAttribute("message", d.ToString()), new XAttribute("type", d.Id), text)
                        : new XElement("skipped", new XAttribute("message", d.Summary)));
                }

                if (r.Notes.Count > 0)
                {
                    testcase.Add(new XElement("system-out", string.Join("\n", r.Notes)));
                }

                suite.Add(testcase);
            }

            suites.Add(suite);
        }

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
        return document.Declaration + "\n" + document.ToString();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
