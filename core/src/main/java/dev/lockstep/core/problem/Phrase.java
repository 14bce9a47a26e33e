package dev.lockstep.core.problem;

/**
 * A sentence about a problem, phrased with the words of the edge that shows it.
 */
@FunctionalInterface
public interface Phrase {

	String in(Wording wording);

	/** A sentence that names nothing edge-specific. */
	static Phrase of(String text) {
		return (wording) -> text;
	}

}
