package dev.lockstep.core.api;

/**
 * An applied changeset whose definition changed after it ran.
 *
 * @param id changeset id
 * @param author changeset author
 * @param changeLog the file that declares it
 * @param storedChecksum checksum recorded when it ran
 * @param currentChecksum checksum of the changeset as the changelog has it now
 */
public record ChecksumMismatch(String id, String author, String changeLog, String storedChecksum,
		String currentChecksum) {

	public ChangeSetRef ref() {
		return new ChangeSetRef(this.id, this.author, this.changeLog);
	}

}
