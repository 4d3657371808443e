namespace Sluice.TestSupport;

/// <summary>Finds files of this repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding <c>Sluice.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Sluice.slnx above {AppContext.BaseDirectory}.");
    }
}
