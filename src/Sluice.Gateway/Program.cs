using Microsoft.AspNetCore.HttpOverrides;
using Sluice.AspNetCore;
using Sluice.Gateway;

var builder = WebApplication.CreateBuilder(args);

// The chat's files come from the Sluice.Web project: from its build output under `dotnet run` in any environment (the
// default turns this on in Development only), from the published wwwroot otherwise (then this is a no-op).
builder.WebHost.UseStaticWebAssets();
var sluice = builder.Configuration.GetSection("Sluice");

// Kestrel for long-lived event streams (README, "Configuration"). Kestrel:… settings still apply; these replace only
// defaults that do not fit streams.
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // A reader on a slow link is still a reader: no minimum-rate kill (240 B/s by default) while a write is pending.
    // A reader that accepts nothing at all is Sluice's to drop, not Kestrel's.
    kestrel.Limits.MinResponseDataRate = null;

    // Idle connections between requests (above nginx's 60 s upstream keepalive, so the proxy closes first), and the
    // time a client has to send its request headers.
    kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(75);
    kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);

    // HTTP/2: pings find connections that died without a word (a phone that lost its network).
    kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
    kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(30);

    // Protocols stay Kestrel's default, HTTP/1.1 and HTTP/2 on every endpoint: HTTP/2 is chosen by ALPN over TLS. A
    // cleartext endpoint then serves HTTP/1.1 only (Kestrel selects h2c only on an endpoint that is HTTP/2 alone), so
    // h2c with prior knowledge gets an endpoint of its own: Kestrel:Endpoints:{name}:Protocols = Http2 (README).
});

// Sluice:ReplayLog: memory (one node, the default) or redis (ConnectionStrings:Redis; several nodes share runs).
builder.Services.AddSluiceReplayLog(builder.Configuration);
builder.Services.AddSluice(sluice.Get<SluiceOptions>());
builder.Services.AddSluiceProvider(sluice);
builder.Services.AddHealthChecks().AddCheck<ReplayLogHealthCheck>("replay-log");

// A React app served from another origin (a dev server on :3000) calls the dialect endpoints from the browser:
// Sluice:Dialects:AllowedOrigins lists the origins allowed to (none by default: same origin, or a proxy).
var dialects = sluice.GetSection("Dialects");
var allowedOrigins = dialects.GetSection("AllowedOrigins").Get<string[]>() ?? [];
builder.Services.AddCors(cors => cors.AddPolicy(DialectCors.PolicyName, policy => policy
    .WithOrigins(allowedOrigins)
    .WithMethods("GET", "POST")
    .AllowAnyHeader()
    .AllowCredentials()
    .WithExposedHeaders(DialectCors.ExposedHeaders)));

// Behind a reverse proxy on this machine (docs/deploy/nginx.conf sends X-Forwarded-For), the client's address is the
// forwarded one: Sluice:Limits:MaxRunsPerPrincipal counts anonymous callers by it. Only loopback proxies are trusted.
builder.Services.Configure<ForwardedHeadersOptions>(forwarded => forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor);

var app = builder.Build();
app.UseForwardedHeaders();
app.UseCors();
app.MapSluice();

// The same runs in the encodings existing front ends read (README, "Use with the Vercel AI SDK / AG-UI"): useChat's
// UI message stream and AG-UI. An empty path turns a dialect off.
if (dialects.GetValue("AiSdk:Path", defaultValue: "/api/chat") is { Length: > 0 } aiSdkPath)
{
    app.MapSluiceAiSdk(aiSdkPath).RequireCors(DialectCors.PolicyName);
}

if (dialects.GetValue("AgUi:Path", defaultValue: "/ag-ui") is { Length: > 0 } agUiPath)
{
    app.MapSluiceAgUi(agUiPath).RequireCors(DialectCors.PolicyName);
}

app.MapHealthChecks("/healthz");
if (sluice.GetValue("Ui:Enabled", defaultValue: true))
{
    // The chat (Sluice.Web): its framework files, compressed and fingerprinted at publish, and its page at /.
    app.MapStaticAssets();
    app.MapFallbackToFile("/", "index.html");
}

app.Run();
