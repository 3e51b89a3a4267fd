using Microsoft.Playwright;

namespace Meridian.Tests.Web;

/// <summary>Saves the documentation's screenshots (docs/images/), overwritten by every run of the browser tests so
/// they always show the current app.</summary>
internal static class Screenshots
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        // The repository root is the folder holding the solution file, wherever the tests were built.
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Meridian.slnx")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new DirectoryNotFoundException($"No Meridian.slnx above {AppContext.BaseDirectory}.");
        }

        return Directory.CreateDirectory(Path.Combine(directory.FullName, "docs", "images")).FullName;
    });

    public static async Task SaveAsync(IPage page, string name, bool fullPage = false) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder.Value, name + ".png"), FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
}
