using Microsoft.Extensions.FileProviders;

namespace Meridian.Server.Http;

/// <summary>Serves the web app (src/Meridian.Web, built into wwwroot): its client-side routes answer index.html,
/// hashed assets are cached for a year and index.html is revalidated on every load (docs/ui.md, "Build").
/// Every other unknown path keeps its 404 problem answer.</summary>
public static class WebApp
{
    /// <summary>The app's own routes (docs/ui.md, "Routes").</summary>
    public static readonly string[] Routes = ["/signin", "/register", "/chat", "/chat/{threadId}", "/usage"];

    private const string Immutable = "public, max-age=31536000, immutable";
    private const string Revalidate = "no-cache";

    public static IServiceCollection AddWebApp(this IServiceCollection services) =>
        services.Configure<StaticFileOptions>(o => o.OnPrepareResponse = context =>
        {
            // Vite names every file under /assets/ after its content hash, so a changed file has a new name.
            var path = context.Context.Request.Path;
            context.Context.Response.Headers.CacheControl = path.StartsWithSegments("/assets") ? Immutable : Revalidate;
        });

    public static WebApplication MapWebApp(this WebApplication app)
    {
        foreach (var route in Routes)
        {
            app.MapMethods(route, [HttpMethods.Get, HttpMethods.Head], ServeIndex).ExcludeFromDescription();
        }

        return app;
    }

    private static IResult ServeIndex(HttpContext context, IWebHostEnvironment env)
    {
        var index = env.WebRootFileProvider.GetFileInfo("index.html");
        if (!index.Exists)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                detail: "The web app is not built (see docs/ui.md, \"Build\").");
        }

        context.Response.Headers.CacheControl = Revalidate;
        return index.PhysicalPath is { } physical
            ? TypedResults.PhysicalFile(physical, "text/html; charset=utf-8")
            : TypedResults.Stream(index.CreateReadStream(), "text/html; charset=utf-8");
    }
}
