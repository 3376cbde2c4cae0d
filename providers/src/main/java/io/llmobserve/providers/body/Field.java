package io.llmobserve.providers.body;

/**
 * One JSON value a body reader keeps: its key, where it may sit (parent keys, top level, depth) and
 * what it means (a target of {@link ResponseBodyReader} or {@link RequestBodyReader}). Providers
 * declare fields by key name ({@link Fields.Builder}); the readers match them by key id, once per
 * value (never per byte).
 */
public final class Field {
  /** The value may be a JSON string. */
  public static final int STRING = 1;

  /** The value may be a JSON number. */
  public static final int NUMBER = 2;

  /** The value may be true or false. */
  public static final int BOOLEAN = 4;

  final String key;
  final String[] parents;
  final boolean root;
  final boolean top;
  final int maxDepth;
  final int kinds;
  final int target;
  final int limit;
  int[] parentIds = new int[0];

  Field(
      String key,
      String[] parents,
      boolean root,
      boolean top,
      int maxDepth,
      int kinds,
      int target,
      int limit) {
    this.key = key;
    this.parents = parents;
    this.root = root;
    this.top = top;
    this.maxDepth = maxDepth;
    this.kinds = kinds;
    this.target = target;
    this.limit = limit;
  }

  /**
   * @param depth the value's depth (1 = a key of the top-level object)
   * @param parent key id of the enclosing object's slot
   * @param kindBit {@link #STRING}, {@link #NUMBER} or {@link #BOOLEAN}; 0 for null/containers
   * @param isRoot the value sits in a response's root object (see ResponseBodyReader)
   */
  boolean matches(int depth, int parent, int kindBit, boolean isRoot) {
    if ((kinds & kindBit) == 0 || depth > maxDepth) {
      return false;
    }
    if (top && depth != 1) {
      return false;
    }
    boolean anyPlace = !root && parentIds.length == 0;
    if (anyPlace || (root && isRoot)) {
      return true;
    }
    for (int p : parentIds) {
      if (p == parent && depth >= 2) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return (parents.length == 0 ? "" : String.join("|", parents) + ".") + key + "->" + target;
  }
}
