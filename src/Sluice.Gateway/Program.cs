using Microsoft.AspNetCore.HttpOverrides;
using Sluice.AspNetCore;
using Sluice.Gateway;
using Sluice.ReplayLog;

var builder = WebApplication.CreateBuilder(args);

// The chat's files come from the Sluice.Web project: from its build output under `dotnet run` in any environment (the
// default turns this on in Development only), from the published wwwroot otherwise (then this is a no-op).
builder.WebHost.UseStaticWebAssets();
var sluice = builder.Configuration.GetSection("Sluice");

builder.Services.AddSluiceInMemoryReplayLog(sluice.GetSection("Log").Get<ReplayLogOptions>());
builder.Services.AddSluice(sluice.Get<SluiceOptions>());
builder.Services.AddSluiceProvider(sluice);
builder.Services.AddHealthChecks();

// Behind a reverse proxy on this machine (docs/deploy/nginx.conf sends X-Forwarded-For), the client's address is the
// forwarded one: Sluice:Limits:MaxRunsPerPrincipal counts anonymous callers by it. Only loopback proxies are trusted.
builder.Services.Configure<ForwardedHeadersOptions>(forwarded => forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor);

var app = builder.Build();
app.UseForwardedHeaders();
app.MapSluice();
app.MapHealthChecks("/healthz");
if (sluice.GetValue("Ui:Enabled", defaultValue: true))
{
    // The chat (Sluice.Web): its framework files, compressed and fingerprinted at publish, and its page at /.
    app.MapStaticAssets();
    app.MapFallbackToFile("/", "index.html");
}

app.Run();
