package io.llmobserve.agent.extension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Helpers for a boot-loader instrumentation (HttpURLConnection). The agent defines them there
 * eagerly, one by one, in the order given: a class whose super type is not defined yet, or that
 * extends a class the boot loader cannot see (OkHttp, Apache, java.net.http), fails the whole
 * injection. So: only the client-independent packages plus the module's own, super types first.
 */
public final class BootLoaderHelpers {
  private static final String[] CLIENT_INDEPENDENT = {
    "io.llmobserve.agent.common.",
    "io.llmobserve.agent.internal.providers.",
    "io.llmobserve.providers."
  };

  private BootLoaderHelpers() {}

  public static List<String> forBootLoader(
      List<String> allHelpers, ClassLoader bytesFrom, String ownPackage) throws IOException {
    Set<String> selected = new LinkedHashSet<>();
    for (String name : allHelpers) {
      if (name.startsWith(ownPackage) || startsWithAny(name)) {
        selected.add(name);
      }
    }
    Map<String, List<String>> superTypes = new HashMap<>();
    for (String name : selected) {
      superTypes.put(name, superTypes(name, bytesFrom));
    }
    List<String> ordered = new ArrayList<>(selected.size());
    Set<String> done = new HashSet<>();
    for (String name : selected) {
      visit(name, superTypes, done, ordered);
    }
    return ordered;
  }

  private static boolean startsWithAny(String name) {
    for (String prefix : CLIENT_INDEPENDENT) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static void visit(
      String name, Map<String, List<String>> superTypes, Set<String> done, List<String> out) {
    if (!done.add(name)) {
      return;
    }
    for (String s : superTypes.get(name)) {
      if (superTypes.containsKey(s)) {
        visit(s, superTypes, done, out);
      }
    }
    out.add(name);
  }

  /** Super class and interfaces, read from the class file (the agent's ASM is not ours to use). */
  static List<String> superTypes(String className, ClassLoader loader) throws IOException {
    List<String> result = new ArrayList<>();
    try (InputStream raw = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
      if (raw == null) {
        return result;
      }
      DataInputStream in = new DataInputStream(raw);
      in.readInt(); // magic
      in.readInt(); // minor, major
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classNameIndex = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1: // Utf8
            utf8[i] = in.readUTF();
            break;
          case 7: // Class
            classNameIndex[i] = in.readUnsignedShort();
            break;
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            in.readUnsignedShort();
            break;
          case 15: // MethodHandle
            in.readUnsignedByte();
            in.readUnsignedShort();
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            in.readInt();
            break;
          case 5: // Long
          case 6: // Double
            in.readLong();
            i++;
            break;
          default:
            throw new IOException("unknown constant pool tag " + tag + " in " + className);
        }
      }
      in.readUnsignedShort(); // access flags
      in.readUnsignedShort(); // this class
      int superIndex = in.readUnsignedShort();
      if (superIndex != 0) {
        result.add(utf8[classNameIndex[superIndex]].replace('/', '.'));
      }
      int interfaces = in.readUnsignedShort();
      for (int i = 0; i < interfaces; i++) {
        result.add(utf8[classNameIndex[in.readUnsignedShort()]].replace('/', '.'));
      }
    }
    return result;
  }
}
