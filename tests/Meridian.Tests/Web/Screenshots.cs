using Meridian.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Meridian.Tests.Web;

/// <summary>Saves the documentation's screenshots (docs/images/), overwritten by every run of the browser tests so
/// they always show the current app.</summary>
internal static class Screenshots
{
    private static readonly Lazy<string> Folder = new(() => Directory.CreateDirectory(RepositoryRoot.Path("docs", "images")).FullName);

    public static async Task SaveAsync(IPage page, string name, bool fullPage = false) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder.Value, name + ".png"), FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
}
