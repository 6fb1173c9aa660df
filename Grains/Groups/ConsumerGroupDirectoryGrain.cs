using Orleans;
using Orlog.Hosting;

namespace Orlog.Groups;

/// <summary>The cluster-wide, durable list of consumer group ids.</summary>
public sealed class ConsumerGroupDirectoryGrain(
    [PersistentState("groups", OrlogStorage.Metadata)] IPersistentState<ConsumerGroupDirectoryState> state)
    : Grain, IConsumerGroupDirectoryGrain
{
    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Groups]);

    public async Task AddAsync(string groupId)
    {
        if (state.State.Groups.Add(groupId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string groupId)
    {
        if (state.State.Groups.Remove(groupId))
        {
            await state.WriteStateAsync();
        }
    }
}
