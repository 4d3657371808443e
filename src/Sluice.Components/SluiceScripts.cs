namespace Sluice.Components;

/// <summary>The library's JavaScript module (wwwroot/sluice-components.js) as a page imports it.</summary>
internal static class SluiceScripts
{
    public const string ModulePath = "./_content/Sluice.Components/sluice-components.js";
}
