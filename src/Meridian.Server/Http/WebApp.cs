using Microsoft.AspNetCore.ResponseCompression;

namespace Meridian.Server.Http;

/// <summary>Serves the web app (src/Meridian.Web, built into wwwroot): its client-side routes answer index.html,
/// hashed assets are cached for a year and index.html is revalidated on every load (docs/ui.md#2-build).
/// Every other unknown path keeps its 404 problem answer.</summary>
public static class WebApp
{
    /// <summary>The app's own routes (docs/ui.md).</summary>
    public static readonly string[] Routes = ["/signin", "/register", "/chat", "/chat/{threadId}", "/usage", "/ingest"];

    private const string Immutable = "public, max-age=31536000, immutable";
    private const string Revalidate = "no-cache";

    public static IServiceCollection AddWebApp(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            // Only the app's own code and styles are compressed (UseWebAppCompression), never an answer that
            // carries a token or user data, so compression over TLS reveals nothing (BREACH).
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
        return services.Configure<StaticFileOptions>(o => o.OnPrepareResponse = context =>
        {
            // Vite names every file under /assets/ after its content hash, so a changed file has a new name.
            var path = context.Context.Request.Path;
            context.Context.Response.Headers.CacheControl = path.StartsWithSegments("/assets") ? Immutable : Revalidate;
        });
    }

    /// <summary>Compresses the app's files under /assets/ (brotli or gzip, as the browser accepts): they are most
    /// of the bytes of a first load (docs/ui.md#2-build).</summary>
    public static IApplicationBuilder UseWebAppCompression(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/assets"), branch => branch.UseResponseCompression());

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
