//! What [`Datacenters::create`](super::Datacenters::create) and
//! [`Servers::create`](super::Servers::create) send: a datacenter with its
//! servers, their volumes and NICs in one request (`POST /datacenters` with
//! nested `entities`), or a server with its volumes and NICs.
//!
//! One composite request is provisioned as a whole (or fails as a whole);
//! creating the parts one by one means one request to track per part and a
//! half-built datacenter when one fails. The values IONOS rejects are
//! checked locally first, so a typo does not cost a queued request.

use panelkit_core::{Error, Result};
use panelkit_ionos::types::{
    AttachedVolumes, DataCenterEntities, Datacenter, DatacenterProperties, Nic, NicProperties,
    Nics, Server, ServerEntities, ServerProperties, Servers, Volume, VolumeProperties,
};

/// A server to create inside a [`NewDatacenter`], with its volumes and NICs.
#[derive(Clone, Debug)]
pub struct NewServer {
    properties: ServerProperties,
    volumes: Vec<VolumeProperties>,
    nics: Vec<NicProperties>,
}

impl NewServer {
    /// A server with `properties` (cores and RAM at least).
    pub fn new(properties: ServerProperties) -> Self {
        NewServer {
            properties,
            volumes: Vec::new(),
            nics: Vec::new(),
        }
    }

    /// Adds a volume created with and attached to the server.
    pub fn volume(mut self, volume: VolumeProperties) -> Self {
        self.volumes.push(volume);
        self
    }

    /// Adds a NIC (its `lan` must exist or be created alongside).
    pub fn nic(mut self, nic: NicProperties) -> Self {
        self.nics.push(nic);
        self
    }

    fn check(&self, index: usize) -> Result<()> {
        let p = &self.properties;
        if p.cores < 1 {
            return Err(invalid(index, "cores", "a server needs at least one core"));
        }
        // IONOS allocates RAM in steps of 256 MB, from 256 MB.
        if p.ram < 256 || p.ram % 256 != 0 {
            return Err(invalid(
                index,
                "ram",
                "RAM must be a positive multiple of 256 MB",
            ));
        }
        for v in &self.volumes {
            // `is_finite` also refuses NaN, which compares false both ways.
            if !v.size.is_finite() || v.size <= 0.0 {
                return Err(invalid(
                    index,
                    "volumes.size",
                    "a volume needs a positive size in GB",
                ));
            }
            // Without an image, an alias or a licence type IONOS cannot tell
            // what the disk holds and rejects it.
            if v.image.is_none() && v.image_alias.is_none() && v.licence_type.is_none() {
                return Err(invalid(
                    index,
                    "volumes.image",
                    "a volume needs an image, an image alias or a licence type",
                ));
            }
        }
        for n in &self.nics {
            if n.lan < 1 {
                return Err(invalid(
                    index,
                    "nics.lan",
                    "a NIC needs a LAN id of 1 or more",
                ));
            }
        }
        Ok(())
    }

    /// The request body of a server on its own, after the local checks.
    pub fn into_body(self) -> Result<Server> {
        self.check(0)?;
        Ok(self.into_server())
    }

    fn into_server(self) -> Server {
        let volumes = (!self.volumes.is_empty()).then(|| AttachedVolumes {
            items: Some(self.volumes.into_iter().map(Volume::new).collect()),
            ..Default::default()
        });
        let nics = (!self.nics.is_empty()).then(|| Nics {
            items: Some(self.nics.into_iter().map(Nic::new).collect()),
            ..Default::default()
        });
        Server {
            entities: (volumes.is_some() || nics.is_some()).then(|| ServerEntities {
                volumes,
                nics,
                ..Default::default()
            }),
            ..Server::new(self.properties)
        }
    }
}

fn invalid(server: usize, field: &str, message: &str) -> Error {
    Error::Validation {
        code: "local".to_owned(),
        message: format!("server {server}: {message}"),
        fields: vec![format!("servers[{server}].{field}")],
        status: None,
    }
}

/// A datacenter to create with its servers in one request.
#[derive(Clone, Debug)]
pub struct NewDatacenter {
    properties: DatacenterProperties,
    servers: Vec<NewServer>,
}

impl NewDatacenter {
    /// A datacenter called `name` in `location` (`de/fra`, `us/las`, ...).
    pub fn new(name: impl Into<String>, location: impl Into<String>) -> Self {
        NewDatacenter {
            properties: DatacenterProperties {
                name: Some(name.into()),
                ..DatacenterProperties::new(location.into())
            },
            servers: Vec::new(),
        }
    }

    /// A description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.properties.description = Some(description.into());
        self
    }

    /// Sets the remaining datacenter properties (description, ...); name
    /// and location given here replace the ones from [`NewDatacenter::new`].
    pub fn properties(mut self, properties: DatacenterProperties) -> Self {
        self.properties = properties;
        self
    }

    /// Adds a server.
    pub fn server(mut self, server: NewServer) -> Self {
        self.servers.push(server);
        self
    }

    /// The request body, after the local checks.
    pub fn into_body(self) -> Result<Datacenter> {
        if self.properties.location.trim().is_empty() {
            return Err(Error::Validation {
                code: "local".to_owned(),
                message: "a datacenter needs a location".to_owned(),
                fields: vec!["location".to_owned()],
                status: None,
            });
        }
        for (i, s) in self.servers.iter().enumerate() {
            s.check(i)?;
        }
        let servers = (!self.servers.is_empty()).then(|| Servers {
            items: Some(
                self.servers
                    .into_iter()
                    .map(NewServer::into_server)
                    .collect(),
            ),
            ..Default::default()
        });
        Ok(Datacenter {
            entities: servers.map(|servers| DataCenterEntities {
                servers: Some(servers),
                ..Default::default()
            }),
            ..Datacenter::new(self.properties)
        })
    }
}
