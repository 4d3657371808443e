using Sluice.AspNetCore;
using Sluice.Gateway;
using Sluice.ReplayLog;

var builder = WebApplication.CreateBuilder(args);
var sluice = builder.Configuration.GetSection("Sluice");

builder.Services.AddSluiceInMemoryReplayLog(sluice.GetSection("Log").Get<ReplayLogOptions>());
builder.Services.AddSluice(sluice.Get<SluiceOptions>());
builder.Services.AddSluiceProvider(sluice);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapSluice();
app.MapHealthChecks("/healthz");
app.Run();
