using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Sluice.Client;
using Sluice.Components;
using Sluice.Web;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");

// The gateway serves this app, so its API is at the page's own origin.
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped(services => new SluiceClient(services.GetRequiredService<HttpClient>()));
builder.Services.AddSluiceComponents();

await builder.Build().RunAsync();
