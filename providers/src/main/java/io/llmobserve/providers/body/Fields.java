package io.llmobserve.providers.body;

import io.llmobserve.providers.json.Keys;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a body, compiled into a table by key id: {@link #at(int)} is one array read, so a
 * reader's per-value cost does not grow with the number of providers.
 */
public final class Fields {
  private static final Field[] NONE = new Field[0];

  private final Field[][] byKey;

  private Fields(List<Field> fields) {
    int max = -1;
    for (Field f : fields) {
      max = Math.max(max, Keys.id(f.key));
    }
    List<List<Field>> slots = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      slots.add(new ArrayList<>(1));
    }
    for (Field f : fields) {
      int[] ids = new int[f.parents.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = Keys.id(f.parents[i]);
      }
      f.parentIds = ids;
      slots.get(Keys.id(f.key)).add(f);
    }
    byKey = new Field[max + 1][];
    for (int i = 0; i <= max; i++) {
      List<Field> l = slots.get(i);
      byKey[i] = l.isEmpty() ? null : l.toArray(NONE);
    }
  }

  /** The fields declared for this key id, or null when no provider reads this key here. */
  public Field[] at(int key) {
    return key >= 0 && key < byKey.length ? byKey[key] : null;
  }

  /** Collects fields; every key and parent name must be known to {@link Keys}. */
  public static final class Builder {
    private final List<Field> fields = new ArrayList<>();

    /** A field at any place, of these kinds ({@link Field#STRING} | ...). */
    public Builder any(String key, int kinds, int target, int limit) {
      return add(new Field(key, new String[0], false, false, 6, kinds, target, limit));
    }

    /** A key of the top-level object. */
    public Builder top(String key, int kinds, int target, int limit) {
      return add(new Field(key, new String[0], false, true, 1, kinds, target, limit));
    }

    /**
     * A key of the response object: top level, the object wrapped in an event ("message",
     * "response") or an element of a top-level array.
     */
    public Builder root(String key, int kinds, int target, int limit) {
      return add(new Field(key, new String[0], true, false, 6, kinds, target, limit));
    }

    /** The same, or a key of an object under one of these parents. */
    public Builder rootOr(String key, int kinds, int target, int limit, String... parents) {
      return add(new Field(key, parents, true, false, 6, kinds, target, limit));
    }

    /** A key of an object under one of these parent keys. */
    public Builder under(String key, int kinds, int target, int limit, String... parents) {
      return add(new Field(key, parents, false, false, 6, kinds, target, limit));
    }

    /** Same, at most this deep. */
    public Builder underAtMost(
        String key, int kinds, int target, int limit, int maxDepth, String... parents) {
      return add(new Field(key, parents, false, false, maxDepth, kinds, target, limit));
    }

    /** A field at any place at most this deep. */
    public Builder anyAtMost(String key, int kinds, int target, int limit, int maxDepth) {
      return add(new Field(key, new String[0], false, false, maxDepth, kinds, target, limit));
    }

    private Builder add(Field f) {
      fields.add(f);
      return this;
    }

    /** Every key and parent name used (for {@link Keys} to know them). */
    public List<String> names() {
      List<String> names = new ArrayList<>();
      for (Field f : fields) {
        names.add(f.key);
        names.addAll(List.of(f.parents));
      }
      return names;
    }

    public Fields build() {
      return new Fields(fields);
    }
  }
}
