package dev.lockstep.command;

import org.jspecify.annotations.Nullable;

/**
 * Folds a multi-line message into the one line a command prints on stderr.
 */
final class OneLine {

	private OneLine() {
	}

	/**
	 * Folds a multi-line message into one line: "a:\n  - x\n  - y\nb" becomes "a: x; y. b".
	 */
	static String of(@Nullable String text) {
		if (text == null) {
			return "";
		}
		StringBuilder line = new StringBuilder();
		boolean inList = false;
		for (String part : text.strip().split("\\s*\\n\\s*")) {
			boolean item = part.startsWith("- ");
			String content = item ? part.substring(2).strip() : part;
			if (line.length() > 0) {
				if (item && inList) {
					line.append("; ");
				}
				else if (!item && inList && !endsSentence(line)) {
					line.append(". ");
				}
				else {
					line.append(' ');
				}
			}
			line.append(content);
			inList = item;
		}
		return line.toString();
	}

	private static boolean endsSentence(CharSequence text) {
		char last = text.charAt(text.length() - 1);
		return last == '.' || last == '!' || last == '?';
	}

}
