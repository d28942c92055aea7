package io.meshfl.mesh;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar's manifest. */
class MeshflVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = MeshflCommand.class.getPackage().getImplementationVersion();
        return new String[] {"meshfl " + (version == null ? "(development build)" : version)};
    }
}
