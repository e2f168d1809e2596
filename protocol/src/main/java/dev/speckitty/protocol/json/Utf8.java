package dev.speckitty.protocol.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8, for input that must be stored exactly as sent. Jackson's byte parser accepts overlong
 * forms ({@code C0 AF} reads as {@code /}) and encoded surrogates ({@code ED A0 80}); the JDK's
 * decoder, used here, refuses both, as RFC 3629 requires. Stateless.
 */
public final class Utf8 {
    /**
     * What a malformed sequence becomes in {@link #decodeMarkingMalformed}: a lone low surrogate, which
     * well-formed UTF-8 can never produce, so a later check for lone surrogates finds it.
     */
    public static final char MALFORMED = '\udfff';

    private Utf8() {
    }

    /** How many bytes {@code s} takes as UTF-8 (a lone surrogate counted as the three bytes of its replacement). */
    public static long length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Whether {@code bytes} is well-formed UTF-8; an ASCII run costs one comparison per byte. */
    public static boolean isWellFormed(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        if (i == bytes.length) {
            return true;
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            strict.decode(ByteBuffer.wrap(bytes, i, bytes.length - i));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The text of {@code bytes}, each malformed sequence replaced by {@link #MALFORMED}. */
    public static String decodeMarkingMalformed(byte[] bytes) {
        CharsetDecoder marking = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(MALFORMED));
        try {
            CharBuffer text = marking.decode(ByteBuffer.wrap(bytes));
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder reported an error", e);
        }
    }
}
